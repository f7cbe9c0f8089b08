/**
 * defined: the workflow is fully defined. It has a trigger, an input schema, owners, success
 * outcomes; every route names a step that exists, every step is reachable and can reach an end; and
 * every role, model task, handler and child workflow it names is declared somewhere.
 *
 * Routes come from the step graph (graph.ts), so that what the linter checks is what docs draw.
 * Checks stay linear in the number of steps: a broken 5,000-step charter must lint in milliseconds.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValuePath } from "../../diagnostic.js";
import type { Edge } from "../../graph.js";
import { INPUT_NODE, reachableFrom } from "../../graph.js";
import { isActorLiteral } from "../../expressions.js";
import {
  CONTINUE_TARGET,
  EXCEPTION_TARGET,
  lenientCharterSchema,
  REJECT_TARGET,
  RESERVED_STEP_IDS,
} from "../../schema.js";
import type { Charter, Step, StepOf } from "../../schema.js";
import { closest, didYouMean } from "../../suggest.js";
import { formatPath } from "../../validate.js";
import type { LintOptions, Rule, RuleContext, RuleExample } from "../rule.js";

// ---------------------------------------------------------------------------------------------------
// Shared helpers

type StepKindName = Step["kind"];

function stepsOfKind<K extends StepKindName>(charter: Charter, kind: K): [string, StepOf<K>][] {
  return Object.entries(charter.steps).filter(
    (entry): entry is [string, StepOf<K>] => entry[1].kind === kind,
  );
}

/** `rules[0].goto` for `["steps", "route", "rules", 0, "goto"]`: the field, as users write it. */
function fieldOf(path: ValuePath): string {
  return formatPath(path[0] === "steps" ? path.slice(2) : path);
}

/** `"a", "b" and 3 more`: a short list of names for a message. */
function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

/** Candidate comparisons "Did you mean" may spend in one rule run (bounds broken huge charters). */
const SUGGESTION_BUDGET = 100_000;

/** `didYouMean`, memoised per name and bounded in total work, for rules that look many names up. */
function createSuggester(candidates: readonly string[]): (name: string) => string {
  const memo = new Map<string, string>();
  let budget = SUGGESTION_BUDGET;
  return (name) => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (budget < candidates.length) return "";
    budget -= candidates.length;
    const hint = didYouMean(name, candidates);
    memo.set(name, hint);
    return hint;
  };
}

/** Where charter-level gaps are reported: the `workflow` key, the line that names the charter. */
const CHARTER_KEY: ValuePath = ["workflow"];

/** The charter a workflow step starts, when it is known: a charter linted with this one, or itself. */
function childCharter(charter: Charter, options: LintOptions, workflow: string): Charter | undefined {
  return options.workflows?.get(workflow) ?? (workflow === charter.workflow ? charter : undefined);
}

// ---------------------------------------------------------------------------------------------------
// Role references: owners, assignees, escalation targets and not_by entries

interface RoleReference {
  readonly role: string;
  readonly path: ValuePath;
  /** Offset of `role:` inside an expression that names the role as a literal. */
  readonly offset?: number;
  /** Who names it, for messages: `Charter "invoice-approval"`, `Step "approve"`. */
  readonly subject: string;
  readonly field: string;
}

const ROLE_IN_EXPRESSION = /role:([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g;

function roleReferences(charter: Charter): RoleReference[] {
  const refs: RoleReference[] = [];
  const actor = (value: string | undefined, path: ValuePath, subject: string) => {
    if (value === undefined) return;
    if (isActorLiteral(value)) {
      if (value.startsWith("role:")) refs.push({ role: value.slice(5), path, subject, field: fieldOf(path) });
      return;
    }
    // An assignee expression may pick between fixed roles: `input.amount > 1000 ? "role:cfo" : ...`.
    for (const match of value.matchAll(ROLE_IN_EXPRESSION))
      refs.push({ role: match[1]!, path, offset: match.index, subject, field: fieldOf(path) });
  };
  actor(charter.owner, ["owner"], `Charter "${charter.workflow}"`);
  for (const [id, step] of Object.entries(charter.steps)) {
    if (step.kind === "end") continue;
    const subject = `Step "${id}"`;
    actor(step.owner, ["steps", id, "owner"], subject);
    if (step.kind !== "approval" && step.kind !== "task") continue;
    actor(step.assignee, ["steps", id, "assignee"], subject);
    actor(step.escalate?.to, ["steps", id, "escalate", "to"], subject);
    step.not_by?.forEach((entry, i) => actor(entry, ["steps", id, "not_by", i], subject));
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------------
// JSON Schema validity (input.schema, task forms, model task input and output)

interface SchemaProblem {
  readonly message: string;
  /** Inside the schema, from its root. */
  readonly path: ValuePath;
}

/** Ajv's warnings during one compile: unknown formats, which strict mode off would only log. */
let compileWarnings: string[] = [];
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: {
    log: () => undefined,
    warn: (...args: unknown[]) => void compileWarnings.push(args.map(String).join(" ")),
    error: () => undefined,
  },
});
addFormatsModule.default(ajv);
const KNOWN_FORMATS = Object.keys(ajv.formats);

/** Schemas repeat (the same form on many tasks): results by canonical text, bounded. */
const schemaProblemCache = new Map<string, readonly SchemaProblem[]>();
const SCHEMA_CACHE_SIZE = 500;
const MAX_PROBLEMS_PER_SCHEMA = 10;

function schemaProblems(schema: Record<string, unknown>): readonly SchemaProblem[] {
  const key = JSON.stringify(schema);
  const cached = schemaProblemCache.get(key);
  if (cached) return cached;
  const problems = findSchemaProblems(schema).slice(0, MAX_PROBLEMS_PER_SCHEMA);
  if (schemaProblemCache.size >= SCHEMA_CACHE_SIZE) schemaProblemCache.clear();
  schemaProblemCache.set(key, problems);
  return problems;
}

function findSchemaProblems(schema: Record<string, unknown>): SchemaProblem[] {
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (error) {
    // An unknown `$schema` (draft-07, a URL) throws rather than reporting.
    return [{ message: compileMessage(error, schema), path: "$schema" in schema ? ["$schema"] : [] }];
  }
  if (!valid) return metaSchemaProblems(ajv.errors ?? [], schema);
  const id = typeof schema.$id === "string" ? schema.$id.replace(/#$/, "") : undefined;
  // Only the meta-schemas stay registered between compiles; a schema must not claim their ids.
  if (id !== undefined && (ajv.schemas[id] !== undefined || ajv.refs[id] !== undefined))
    return [
      {
        message: `$id "${id}" is taken by a JSON Schema meta-schema: give the schema its own $id`,
        path: ["$id"],
      },
    ];
  const registered = new Set(Object.keys(ajv.refs));
  compileWarnings = [];
  try {
    ajv.compile(schema);
  } catch (error) {
    return [{ message: compileMessage(error, schema), path: compileErrorPath(error, schema) }];
  } finally {
    // Ajv keeps compiled schemas and registers their $ids (nested ones too): forget them, so that
    // one charter's schemas never resolve or collide with another's.
    ajv.removeSchema(schema);
    for (const ref of Object.keys(ajv.refs)) if (!registered.has(ref)) delete ajv.refs[ref];
  }
  return formatProblems(schema);
}

function metaSchemaProblems(errors: readonly ErrorObject[], schema: unknown): SchemaProblem[] {
  const byPath = new Map<string, ErrorObject>();
  // anyOf failures report each alternative too; the first error at a place is the telling one.
  for (const error of errors) if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  return [...byPath.values()].map((error) => {
    const path = pointerToPath(error.instancePath, schema);
    const where = path.length === 0 ? "the schema" : formatPath(path);
    if (error.keyword === "enum") {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const got = valueAt(schema, path);
      return {
        message: `${where} must be one of ${allowed.join(", ")}, got ${JSON.stringify(got)}.${didYouMean(String(got), allowed)}`,
        path,
      };
    }
    return { message: `${where} ${error.message ?? "is invalid"}`, path };
  });
}

function compileMessage(error: unknown, schema: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/^no schema with key or ref/.test(text))
    return `${text}; Charter reads JSON Schema draft 2020-12: remove $schema or set it to "https://json-schema.org/draft/2020-12/schema"`;
  const ref = /^can't resolve reference (\S+)/.exec(text)?.[1];
  if (ref !== undefined)
    return `${text}.${localRefHint(ref, schema) || ' A $ref must point inside the schema (e.g. "#/$defs/address").'}`;
  return text;
}

/** ` Did you mean "#/$defs/address"?` for a local `$ref` whose last name is misspelt. */
function localRefHint(ref: string, schema: unknown): string {
  const match = /^#((?:\/[^/]*)*)\/([^/]+)$/.exec(ref);
  if (!match) return "";
  const parent = valueAt(schema, pointerToPath(match[1]!, schema));
  if (typeof parent !== "object" || parent === null) return "";
  const name = closest(match[2]!.replace(/~1/g, "/").replace(/~0/g, "~"), Object.keys(parent));
  return name === undefined
    ? ""
    : ` Did you mean "#${match[1]}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}"?`;
}

/** Point a compile error at the `$ref` or `pattern` that caused it, when one can be found. */
function compileErrorPath(error: unknown, schema: unknown): ValuePath {
  const text = error instanceof Error ? error.message : "";
  const ref = /^can't resolve reference (\S+)/.exec(text)?.[1];
  if (ref !== undefined) return findInSchema(schema, (key, value) => key === "$ref" && value === ref) ?? [];
  if (/regular expression/i.test(text))
    return findInSchema(schema, (key, value) => key === "pattern" && !isValidPattern(value)) ?? [];
  return [];
}

function isValidPattern(value: unknown): boolean {
  if (typeof value !== "string") return true;
  try {
    new RegExp(value, "u");
    return true;
  } catch {
    return false;
  }
}

function formatProblems(schema: unknown): SchemaProblem[] {
  const problems = new Map<string, SchemaProblem>();
  for (const warning of compileWarnings) {
    const match = /unknown format "([^"]*)" ignored in schema at path "#([^"]*)"/.exec(warning);
    if (!match) continue;
    const [, format, pointer] = match;
    const path = [...pointerToPath(pointer!, schema), "format"];
    problems.set(formatPath(path), {
      message: `${formatPath(path)} "${format}" is not a known format, so it would not be checked.${didYouMean(format!, KNOWN_FORMATS)}`,
      path,
    });
  }
  return [...problems.values()];
}

/** A JSON Pointer into `root` as a value path (array indexes as numbers, so that positions resolve). */
function pointerToPath(pointer: string, root: unknown): ValuePath {
  const path: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key = Array.isArray(value) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(key);
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(root: unknown, path: ValuePath): unknown {
  let value = root;
  for (const segment of path)
    value =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

/** The path of the first `key: value` in a schema for which `test` holds (depth-first). */
function findInSchema(root: unknown, test: (key: string, value: unknown) => boolean): ValuePath | undefined {
  const stack: { value: unknown; path: ValuePath }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof key === "string" && test(key, child)) return [...path, key];
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Example building blocks (production-ready steps, so that good examples lint with no error)

const CHECK_STEP = (next: string, owner = "team:operations") => `
  check:
    kind: action
    owner: ${owner}
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: ${next}`;

const DONE_STEP = `
  done: { kind: end, outcome: done }`;

/** A child charter for the workflow-step examples: ends `approved` and `blocked`. */
const VENDOR_CHECK: Charter = lenientCharterSchema.parse({
  charter: 1,
  workflow: "vendor-check",
  title: "Vendor check",
  start: "screen",
  steps: {
    screen: {
      kind: "decision",
      rules: [{ when: "input.vendorId = 'blocked'", goto: "blocked" }],
      default: "approved",
    },
    approved: { kind: "end", outcome: "approved" },
    blocked: { kind: "end", outcome: "blocked", success: false },
  },
});

const WITH_CHILD: LintOptions = { workflows: new Map([["vendor-check", VENDOR_CHECK]]) };

const vetVendorSteps = (workflow: string, outcomes: string) => `
start: vet-vendor
steps:
  vet-vendor:
    kind: workflow
    owner: team:operations
    workflow: ${workflow}
    input: "{ 'vendorId': input.requestId }"
    timeout: 5d
    outcomes: ${outcomes}${DONE_STEP}
  refused: { kind: end, outcome: refused }
success:
  outcomes: [done, refused]
`;

// ---------------------------------------------------------------------------------------------------
// defined/trigger

const trigger: Rule = {
  id: "defined/trigger",
  severity: "error",
  summary: "The charter says what starts a run.",
  rationale: `A workflow nobody can start is not a workflow. \`triggers\` lists what starts a run: \`manual\` (a
person or an API call), \`webhook\` (a POST to a path), \`schedule\` (a cron expression) or \`event\`
(a named event). List at least one, so that operations know where runs come from and the engine
knows which endpoints and timers to open.`,
  example: {
    bad: `triggers: []\n`,
    good: `triggers:\n  - manual: {}\n  - webhook: { path: /requests }\n`,
  },
  check({ charter, report }) {
    if (charter.triggers === undefined) {
      report({
        message: `Charter "${charter.workflow}" has no triggers, so nothing can start a run: add triggers: [{ manual: {} }] (or webhook, schedule, event).`,
        path: CHARTER_KEY,
        atKey: true,
      });
    } else if (charter.triggers.length === 0) {
      report({
        message: `Charter "${charter.workflow}" lists no trigger, so nothing can start a run: add one, e.g. - manual: {} (or webhook, schedule, event).`,
        path: ["triggers"],
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/input-schema and defined/json-schema

const inputSchema: Rule = {
  id: "defined/input-schema",
  severity: "error",
  summary: "The charter declares a valid JSON Schema for a run's input.",
  rationale: `Every step reads the run's input, and every run starts from data someone else sent. \`input.schema\`
(JSON Schema, draft 2020-12) says what valid input is; the engine checks each run's input against it
before the first step, and sends invalid input to \`input.on_invalid\`. Without a schema, a missing
field surfaces as a failure deep inside a step, or not at all. The schema itself is checked here:
a wrong keyword type, an unknown \`type\`, a \`$ref\` that resolves nowhere, an invalid \`pattern\`
or an unknown \`format\` is reported at its place.`,
  example: {
    bad: `input:\n  on_invalid: reject\n`,
    good: `input:
  schema:
    type: object
    required: [requestId]
    properties:
      requestId: { type: string }
  on_invalid: reject
`,
  },
  check({ charter, report }) {
    if (charter.input === undefined) {
      report({
        message: `Charter "${charter.workflow}" has no input: add input: { schema: <JSON Schema of a run's input>, on_invalid: reject }.`,
        path: CHARTER_KEY,
        atKey: true,
      });
      return;
    }
    if (charter.input.schema === undefined) {
      report({
        message: `input has no schema: add schema: with the JSON Schema a run's input must match (e.g. { type: object, required: [...] }).`,
        path: ["input"],
        atKey: true,
      });
      return;
    }
    for (const problem of schemaProblems(charter.input.schema))
      report({
        message: `input.schema is not a valid JSON Schema (draft 2020-12): ${problem.message}`,
        path: ["input", "schema", ...problem.path],
      });
  },
};

const jsonSchema: Rule = {
  id: "defined/json-schema",
  severity: "error",
  summary: "Task forms and model task input and output schemas are valid JSON Schema.",
  rationale: `A task's \`form\` describes what a person submits, and a model task's \`input\` and \`output\` describe
what a model reads and must answer. The engine validates that data against these schemas at run
time, so a schema that cannot be compiled would fail every run that reaches the step. They are
checked as JSON Schema draft 2020-12: keyword types, \`type\` names, \`$ref\` targets, \`pattern\`
regular expressions and \`format\` names.`,
  example: {
    bad: `model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: category
      properties:
        category: { type: strng }
`,
    good: `model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: [category]
      properties:
        category: { type: string }
`,
  },
  check({ charter, report }) {
    const check = (schema: Record<string, unknown> | undefined, path: ValuePath, what: string) => {
      if (schema === undefined) return;
      for (const problem of schemaProblems(schema))
        report({
          message: `${what} is not a valid JSON Schema (draft 2020-12): ${problem.message}`,
          path: [...path, ...problem.path],
        });
    };
    for (const [id, step] of stepsOfKind(charter, "task"))
      check(step.form, ["steps", id, "form"], `The form of task "${id}"`);
    for (const [id, task] of Object.entries(charter.model_tasks ?? {})) {
      check(task.input, ["model_tasks", id, "input"], `The input of model task "${id}"`);
      check(task.output, ["model_tasks", id, "output"], `The output of model task "${id}"`);
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/owner

const owner: Rule = {
  id: "defined/owner",
  severity: "error",
  summary: "The charter and every step that does something have an owner.",
  rationale: `When a run is stuck at three in the morning, someone must be accountable: for the workflow as a whole
(the charter's \`owner\`) and for each step (the step's \`owner\`), who gets the exception and decides
what to do. An owner is \`team:<id>\`, \`role:<id>\` or \`user:<id>\`, never an AI. \`end\` steps do
nothing and need none.`,
  example: {
    bad: `steps:
  check:
    kind: action
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    if (charter.owner === undefined)
      report({
        message: `Charter "${charter.workflow}" has no owner: add owner: team:<id> (or role:<id>, user:<id>), who is accountable for the workflow.`,
        path: CHARTER_KEY,
        atKey: true,
      });
    for (const [id, step] of Object.entries(charter.steps)) {
      if (step.kind === "end" || step.owner !== undefined) continue;
      report({
        message: `Step "${id}" (${step.kind}) has no owner: add owner: team:<id> (or role:<id>, user:<id>), who is accountable when it fails.`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/success

const success: Rule = {
  id: "defined/success",
  severity: "error",
  summary: "The charter says which end outcomes are success, and its end steps agree.",
  rationale: `A workflow's success rate is only meaningful when success is defined. \`success.outcomes\` lists the
end outcomes that count as success (a rejected invoice can be a success: the process worked), and
\`success.within\` the end-to-end service level. Each listed outcome must be produced by some \`end\`
step, and an end step's own \`success: true|false\` must agree with the list: it exists to state
the default explicitly, not to contradict it.`,
  example: {
    bad: `success:\n  outcomes: [completed]\n`,
    good: `success:\n  outcomes: [done]\n  within: 2d\n`,
  },
  check({ charter, report }) {
    const ends = stepsOfKind(charter, "end");
    const produced = [...new Set(ends.map(([, end]) => end.outcome))];
    if (charter.success === undefined) {
      report({
        message: `Charter "${charter.workflow}" does not define success: add success: { outcomes: [<end outcome>, ...] } listing the end outcomes that count as success${produced.length > 0 ? ` (its ends produce ${listNames(produced)})` : ""}.`,
        path: CHARTER_KEY,
        atKey: true,
      });
      return;
    }
    const listed = charter.success.outcomes;
    if (listed.length === 0)
      report({
        message: `success.outcomes is empty, so no run can succeed: list the end outcomes that count as success${produced.length > 0 ? ` (its ends produce ${listNames(produced)})` : ""}.`,
        path: ["success", "outcomes"],
      });
    const producedSet = new Set(produced);
    listed.forEach((outcome, i) => {
      if (producedSet.has(outcome)) return;
      report({
        message: `Success outcome "${outcome}" is not the outcome of any end step.${didYouMean(outcome, produced)} Add an end step with outcome: ${outcome}, or remove it from success.outcomes.`,
        path: ["success", "outcomes", i],
      });
    });
    const listedSet = new Set(listed);
    for (const [id, end] of ends) {
      if (end.success === true && !listedSet.has(end.outcome))
        report({
          message: `End step "${id}" says success: true, but its outcome "${end.outcome}" is not in success.outcomes: add "${end.outcome}" there, or remove success: true.`,
          path: ["steps", id, "success"],
        });
      else if (end.success === false && listedSet.has(end.outcome))
        report({
          message: `End step "${id}" says success: false, but its outcome "${end.outcome}" is listed in success.outcomes: remove one of the two, or give this end its own outcome.`,
          path: ["steps", id, "success"],
        });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/unknown-step

/** What is wrong with a route target, or undefined when it names a step or the exception queue. */
function targetProblem(
  to: string,
  stepIds: ReadonlySet<string>,
  where: { subject: string; field: string; onInvalid?: boolean },
  suggest: (name: string) => string,
): string | undefined {
  const { subject, field } = where;
  if (to === EXCEPTION_TARGET) return undefined;
  if (to === REJECT_TARGET)
    return where.onInvalid
      ? undefined
      : `${subject} routes to "reject" in ${field}, but "reject" only refuses an invalid input (input.on_invalid): route to a step, or to "exception".`;
  if (to === CONTINUE_TARGET)
    return `${subject} uses "continue" in ${field}, but "continue" only works inside a parallel branch: name the step to go to.`;
  if (stepIds.has(to)) return undefined;
  const hint = suggest(to);
  return `${subject} goes to unknown step "${to}" in ${field}.${hint || ` Add a step "${to}" under steps, or route to an existing step or "exception".`}`;
}

/** Each entry of each branch list of a parallel, with its path: `branches[i][j]` or `branch[j]`. */
function branchEntries(id: string, step: StepOf<"parallel">): { entry: string; path: ValuePath }[] {
  const entries: { entry: string; path: ValuePath }[] = [];
  step.branches?.forEach((list, i) =>
    list.forEach((entry, j) => entries.push({ entry, path: ["steps", id, "branches", i, j] })),
  );
  step.branch?.forEach((entry, j) => entries.push({ entry, path: ["steps", id, "branch", j] }));
  return entries;
}

const unknownStep: Rule = {
  id: "defined/unknown-step",
  severity: "error",
  summary: "Every route names a step that exists, and reserved targets are used where they mean something.",
  rationale: `\`start\`, \`next\`, \`on_error\`, \`review\`, decision \`goto\` and \`default\`, \`outcomes\`,
\`expire.goto\`, \`on_timeout\`, \`input.on_invalid\` and branch lists all name steps. A misspelt name
would leave a run with nowhere to go, so each must be a step of the charter. Three targets are
reserved and are not steps: \`exception\` (the charter's exception queue; anywhere but \`start\`),
\`reject\` (only in \`input.on_invalid\`: refuse the run) and \`continue\` (only in a step of a parallel
branch: carry on with the branch). No step may be named after one of them.`,
  example: {
    bad: `steps:${CHECK_STEP("dnoe")}${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    const stepIds = new Set(graph.stepIds);
    const suggest = createSuggester(graph.stepIds);
    for (const id of graph.stepIds)
      if (RESERVED_STEP_IDS.includes(id))
        report({
          message: `Step id "${id}" is reserved (${reservedMeaning(id)}), so routes to it would not reach this step: rename the step.`,
          path: ["steps", id],
          atKey: true,
        });
    checkStart(charter.start, stepIds, suggest, report);
    for (const edge of graph.edges) {
      // Branch starts are checked with the rest of their list below; implicit edges have no field.
      if (edge.path === undefined || edge.kind === "branch") continue;
      const onInvalid = edge.from === INPUT_NODE;
      const subject = onInvalid ? "Input validation" : `Step "${edge.from}"`;
      const problem = targetProblem(
        edge.to,
        stepIds,
        { subject, field: fieldOf(edge.path), onInvalid },
        suggest,
      );
      if (problem) report({ message: problem, path: edge.path });
    }
    for (const [id, step] of stepsOfKind(charter, "parallel"))
      checkParallelTargets(id, step, { graph, report }, stepIds, suggest);
  },
};

/** Branch list entries, and a parallel's `next` (with branches, the graph joins by implicit edges). */
function checkParallelTargets(
  id: string,
  step: StepOf<"parallel">,
  { graph, report }: Pick<RuleContext, "graph" | "report">,
  stepIds: ReadonlySet<string>,
  suggest: (name: string) => string,
): void {
  for (const { entry, path } of branchEntries(id, step)) {
    if (stepIds.has(entry) && !RESERVED_STEP_IDS.includes(entry)) continue;
    report({
      message: RESERVED_STEP_IDS.includes(entry)
        ? `Parallel "${id}" lists "${entry}" in ${fieldOf(path)}, but a branch lists steps and "${entry}" is not one: name a step.`
        : `Parallel "${id}" lists unknown step "${entry}" in ${fieldOf(path)}.${suggest(entry) || ` Add a step "${entry}" under steps, or fix the name.`}`,
      path,
    });
  }
  const hasLists = step.branches !== undefined || step.branch !== undefined;
  // A parallel inside a branch has no next of its own (defined/routes says so).
  if (!hasLists || step.next === undefined || graph.branches.has(id)) return;
  const problem = targetProblem(step.next, stepIds, { subject: `Parallel "${id}"`, field: "next" }, suggest);
  if (problem) report({ message: problem, path: ["steps", id, "next"] });
}

function reservedMeaning(id: string): string {
  if (id === EXCEPTION_TARGET) return "it names the exception queue";
  if (id === REJECT_TARGET) return "it refuses an invalid input";
  return "it carries on in a parallel branch";
}

function checkStart(
  start: string,
  stepIds: ReadonlySet<string>,
  suggest: (name: string) => string,
  report: RuleContext["report"],
): void {
  if (stepIds.has(start) && !RESERVED_STEP_IDS.includes(start)) return;
  const message = RESERVED_STEP_IDS.includes(start)
    ? `start is "${start}", but a run must begin at a step: set start to the id of the first step.`
    : `start names unknown step "${start}".${suggest(start) || ` Set start to the id of the first step.`}`;
  report({ message, path: ["start"] });
}

// ---------------------------------------------------------------------------------------------------
// defined/routes

const routes: Rule = {
  id: "defined/routes",
  severity: "error",
  summary: "Every step has exactly the routes its kind needs, and parallel branches are well formed.",
  rationale: `Each kind of step continues in its own way: an action, an ai step and a wait continue with \`next\`;
a task with \`next\` or by \`outcomes\` (one of the two); an approval by \`outcomes\`, which must route
both \`approved\` and \`rejected\`; a wait on either an \`event\` or an \`until\` time; a parallel runs
either \`branches\` (fixed lists of steps) or \`for_each\` with a \`branch\` list (\`as\` and
\`concurrency\` belong to \`for_each\`), then continues with its \`next\` after the join. Steps of a
branch have no \`next\` of their own (the list gives the order), belong to one branch only, are
entered only through their parallel, and cannot be \`end\` steps: a run ends after the join.`,
  example: {
    bad: `start: gather
steps:
  gather:
    kind: parallel
    owner: team:operations
    branches:
      - [check-credit]
      - [check-stock]
    next: done
  check-credit:
    kind: action
    owner: team:operations
    handler: credit.check
    timeout: 30s
    on_error: { default: exception }
    next: done
  check-stock:
    kind: action
    owner: team:operations
    handler: stock.check
    timeout: 30s
    on_error: { default: exception }${DONE_STEP}
`,
    good: `start: gather
steps:
  gather:
    kind: parallel
    owner: team:operations
    branches:
      - [check-credit]
      - [check-stock]
    next: done
  check-credit:
    kind: action
    owner: team:operations
    handler: credit.check
    timeout: 30s
    on_error: { default: exception }
  check-stock:
    kind: action
    owner: team:operations
    handler: stock.check
    timeout: 30s
    on_error: { default: exception }${DONE_STEP}
`,
  },
  check(context) {
    for (const [id, step] of Object.entries(context.charter.steps)) checkStepRoutes(id, step, context);
    checkBranchLists(context);
    checkBranchEntries(context);
  },
};

function checkStepRoutes(id: string, step: Step, { graph, report }: RuleContext): void {
  const membership = graph.branches.get(id);
  if (membership && "next" in step && step.next !== undefined)
    report({
      message: `Step "${id}" is in branch ${membership.branch + 1} of parallel "${membership.parallel}" and has its own next: remove it. The branch list gives the order, and "${membership.parallel}"'s next follows the join.`,
      path: ["steps", id, "next"],
    });
  // In a branch, completing a step continues the branch: no next is needed.
  else if (!membership) checkWayForward(id, step, report);
  if (step.kind === "workflow" && Object.keys(step.outcomes).length === 0)
    report({
      message: `Workflow step "${id}" routes no outcome of "${step.workflow}": add outcomes: { <child outcome>: <step id>, default: <step id> }.`,
      path: ["steps", id, "outcomes"],
    });
  if (step.kind === "wait") checkWaitOn(id, step, report);
  if (step.kind === "approval") checkApprovalOutcomes(id, step, report);
  if (step.kind === "parallel") checkParallelShape(id, step, report);
}

/** What `next` means, per kind of step that continues with it. */
const NEXT_MEANING = {
  action: "the step a run goes to when the action succeeds",
  ai: "where accepted output goes",
  wait: "the step a run goes to when the wait is over",
  parallel: "the step that follows when all branches have joined",
} as const;

/** Outside a branch, a step continues with `next` (or, for a task, by `outcomes`). */
function checkWayForward(id: string, step: Step, report: RuleContext["report"]): void {
  const at = { path: ["steps", id], atKey: true };
  if (step.kind === "action" || step.kind === "ai" || step.kind === "wait" || step.kind === "parallel") {
    if (step.next === undefined)
      report({
        message: `Step "${id}" (${step.kind}) has no next: add next: <step id>, ${NEXT_MEANING[step.kind]}.`,
        ...at,
      });
  } else if (step.kind === "task") {
    if (step.next !== undefined && step.outcomes !== undefined)
      report({
        message: `Task "${id}" has both next and outcomes: keep outcomes to route by what the person chose, or next to always go on the same way.`,
        path: ["steps", id, "next"],
        atKey: true,
      });
    else if (step.next === undefined && step.outcomes === undefined)
      report({
        message: `Task "${id}" has no route forward: add next: <step id>, or outcomes: { <outcome>: <step id> }.`,
        ...at,
      });
  }
}

function checkWaitOn(id: string, step: StepOf<"wait">, report: RuleContext["report"]): void {
  if (step.event !== undefined && step.until !== undefined)
    report({
      message: `Wait "${id}" has both event and until: wait for an event (event: { name, correlate }) or until a time (until:), not both.`,
      path: ["steps", id, "until"],
      atKey: true,
    });
  else if (step.event === undefined && step.until === undefined)
    report({
      message: `Wait "${id}" waits for nothing: add event: { name, correlate } or until: <time expression>.`,
      path: ["steps", id],
      atKey: true,
    });
}

function checkApprovalOutcomes(id: string, step: StepOf<"approval">, report: RuleContext["report"]): void {
  const missing = ["approved", "rejected"].filter((outcome) => !Object.hasOwn(step.outcomes, outcome));
  if (missing.length === 0) return;
  report({
    message: `Approval "${id}" does not route ${missing.map((m) => `"${m}"`).join(" or ")}: add ${missing.map((m) => `${m}: <step id>`).join(" and ")} to outcomes (an approval must say where both approved and rejected go).`,
    path: ["steps", id, "outcomes"],
    atKey: true,
  });
}

function checkParallelShape(id: string, step: StepOf<"parallel">, report: RuleContext["report"]): void {
  const at = (field: string): ValuePath => ["steps", id, field];
  const hasForEach = step.for_each !== undefined;
  if (step.branches !== undefined && (hasForEach || step.branch !== undefined)) {
    report({
      message: `Parallel "${id}" has both branches and ${hasForEach ? "for_each" : "branch"}: use branches for a fixed set of branches, or for_each with branch to run one branch per item.`,
      path: at(hasForEach ? "for_each" : "branch"),
      atKey: true,
    });
    return;
  }
  if (step.branches === undefined && !hasForEach && step.branch === undefined) {
    report({
      message: `Parallel "${id}" runs nothing: add branches: [[<step id>, ...], ...], or for_each: <expression> with branch: [<step id>, ...].`,
      path: ["steps", id],
      atKey: true,
    });
    return;
  }
  if (hasForEach && step.branch === undefined)
    report({
      message: `Parallel "${id}" has for_each but no branch: add branch: [<step id>, ...], the steps to run for each item.`,
      path: at("for_each"),
      atKey: true,
    });
  for (const field of ["branch", "as", "concurrency"] as const) {
    if (hasForEach || step[field] === undefined) continue;
    report({
      message: `Parallel "${id}" has ${field} but no for_each: ${field === "branch" ? "add for_each: <expression> to run the branch once per item, or use branches: [[...]]" : `${field} only applies to for_each; add for_each or remove ${field}`}.`,
      path: at(field),
      atKey: true,
    });
  }
}

/** Each step sits in one branch, a parallel does not list itself, and no branch holds an end. */
function checkBranchLists({ charter, report }: RuleContext): void {
  const seen = new Map<string, string>();
  for (const [id, step] of stepsOfKind(charter, "parallel")) {
    for (const { entry, path } of branchEntries(id, step)) {
      const where = `${fieldOf(path).replace(/\[\d+\]$/, "")} of parallel "${id}"`;
      const first = seen.get(entry);
      if (first !== undefined) {
        report({
          message: `Step "${entry}" is listed in ${where} but is already in ${first}: a step belongs to one branch. Give each branch its own step.`,
          path,
        });
        continue;
      }
      seen.set(entry, where);
      if (entry === id)
        report({
          message: `Parallel "${id}" lists itself in ${fieldOf(path)}: a branch cannot contain its own parallel.`,
          path,
        });
      else if (charter.steps[entry]?.kind === "end")
        report({
          message: `Parallel "${id}" lists end step "${entry}" in ${fieldOf(path)}: a branch cannot end the run. Put the end after the join, as "${id}"'s next.`,
          path,
        });
    }
  }
}

/** A branch step is entered only through its parallel (or from within its branch). */
function checkBranchEntries({ charter, graph, report }: RuleContext): void {
  const inside = (from: string, parallel: string, branch: number): boolean => {
    // Walk up nested branches; bounded, since a parallel listing itself would loop.
    let membership = graph.branches.get(from);
    for (let depth = 0; membership && depth < 64; depth++) {
      if (membership.parallel === parallel && membership.branch === branch) return true;
      membership = graph.branches.get(membership.parallel);
    }
    return false;
  };
  const startIn = graph.branches.get(charter.start);
  if (startIn)
    report({
      message: `start is "${charter.start}", a step inside branch ${startIn.branch + 1} of parallel "${startIn.parallel}": a run cannot begin inside a branch. Start at "${startIn.parallel}" or before it.`,
      path: ["start"],
    });
  for (const edge of graph.edges) {
    const target = graph.branches.get(edge.to);
    // Branch starts are branch lists, checked above; implicit edges continue inside their branch.
    if (!target || edge.path === undefined || edge.kind === "branch") continue;
    // A branch step's own next is already reported as such: one mistake, one report.
    if (edge.path[2] === "next" && graph.branches.has(edge.from)) continue;
    if (inside(edge.from, target.parallel, target.branch)) continue;
    const subject = edge.from === INPUT_NODE ? "Input validation" : `Step "${edge.from}"`;
    report({
      message: `${subject} goes to "${edge.to}" in ${fieldOf(edge.path)}, but "${edge.to}" is inside branch ${target.branch + 1} of parallel "${target.parallel}" and can only be entered through it: route to "${target.parallel}" instead.`,
      path: edge.path,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// defined/unreachable

const unreachable: Rule = {
  id: "defined/unreachable",
  severity: "error",
  summary: "Every step can be reached from `start` (or from `input.on_invalid`).",
  rationale: `A step no route leads to never runs, yet it is documented, reviewed and believed to happen: usually a
\`next\` was forgotten or misspelt. Every step must be reachable from \`start\` or from the
\`input.on_invalid\` route, following any route (next, outcomes, rules, error and timeout routes,
branches). Wire the step in, or delete it.`,
  example: {
    bad: `steps:${CHECK_STEP("done")}
  archive:
    kind: action
    owner: team:operations
    handler: requests.archive
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("archive")}
  archive:
    kind: action
    owner: team:operations
    handler: requests.archive
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    const stepIds = new Set(graph.stepIds);
    // An unknown start leaves everything unreachable: defined/unknown-step reports the one cause.
    if (!stepIds.has(charter.start)) return;
    const reached = reachableFrom(graph, graph.entries);
    const routedFrom = new Map<string, string[]>();
    for (const edge of graph.edges) {
      if (reached.has(edge.to) || !stepIds.has(edge.to) || edge.from === edge.to) continue;
      const sources = routedFrom.get(edge.to) ?? [];
      if (sources.length < 3 && !sources.includes(edge.from)) sources.push(edge.from);
      routedFrom.set(edge.to, sources);
    }
    for (const id of graph.stepIds) {
      if (reached.has(id)) continue;
      const sources = routedFrom.get(id);
      const why = sources
        ? `only unreachable steps route to it (${listNames(sources)})`
        : `no route leads to it from start "${charter.start}"`;
      report({
        message: `Step "${id}" is unreachable: ${why}. Route to it from a reachable step, or remove it.`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/no-end

const noEnd: Rule = {
  id: "defined/no-end",
  severity: "error",
  summary: "From every step, a run can reach an end step without failing.",
  rationale: `A run that can never end holds its state, its people and its service level forever. From every step,
some route that is not an error route must lead to an \`end\` step or to the exception queue
(\`exception\`, which has an owner). A loop is fine when a decision, an outcome or a timeout can
leave it; a loop that only an \`on_error\` route leaves means that when nothing fails, the run never
ends. (A step that has no route at all is reported by \`defined/routes\`, and a route to an unknown
step by \`defined/unknown-step\`.)`,
  example: {
    bad: `steps:${CHECK_STEP("route")}
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: check
    default: check${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("route")}
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: check
    default: done${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    const stepIds = new Set(graph.stepIds);
    const steps = charter.steps;
    // Error routes do not count as a way to end: a run that ends only by failing never ends well.
    const routesOf = (id: string) => (graph.outgoing.get(id) ?? []).filter((edge) => edge.kind !== "error");
    const incoming = new Map<string, string[]>();
    const canEnd = new Set<string>();
    for (const id of graph.stepIds) {
      const out = routesOf(id);
      // Terminal: an end, the exception queue, a route already reported elsewhere (an unknown
      // target, or no route at all), so that one mistake is reported once.
      if (
        steps[id]!.kind === "end" ||
        out.length === 0 ||
        out.some((e) => !stepIds.has(e.to) || e.to === EXCEPTION_TARGET)
      )
        canEnd.add(id);
      for (const edge of out) {
        const list = incoming.get(edge.to) ?? [];
        list.push(id);
        incoming.set(edge.to, list);
      }
    }
    const queue = [...canEnd];
    for (let head = 0; head < queue.length; head++)
      for (const from of incoming.get(queue[head]!) ?? [])
        if (!canEnd.has(from)) {
          canEnd.add(from);
          queue.push(from);
        }
    if (canEnd.size === graph.stepIds.length) return;
    // Unreachable steps are reported by defined/unreachable; wiring them in comes first.
    const reached = stepIds.has(charter.start) ? reachableFrom(graph, graph.entries) : undefined;
    for (const id of graph.stepIds) {
      if (canEnd.has(id) || (reached && !reached.has(id))) continue;
      const loop = loopFrom(id, routesOf);
      const errorExit = loop.some((s) => (graph.outgoing.get(s) ?? []).some((e) => e.kind === "error"));
      report({
        message: `Step "${id}" never reaches an end: its routes only loop (${loop.join(" → ")})${errorExit ? " and only on_error routes leave the loop" : ""}. Route a step of the loop to an end step or to "exception".`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

/** A few steps along the first route from `id`, up to the first repeat: the loop a run is caught in. */
function loopFrom(id: string, routesOf: (id: string) => Edge[]): string[] {
  const trail = [id];
  const seen = new Set(trail);
  let current = id;
  for (let i = 0; i < 8; i++) {
    const next = routesOf(current)[0]?.to;
    if (next === undefined) break;
    trail.push(next);
    if (seen.has(next)) return trail;
    seen.add(next);
    current = next;
  }
  trail.push("…");
  return trail;
}

// ---------------------------------------------------------------------------------------------------
// defined/unknown-role, defined/unknown-model-task, defined/unknown-handler

const unknownRole: Rule = {
  id: "defined/unknown-role",
  severity: "error",
  summary: "Every `role:<id>` names a role declared under `roles`.",
  rationale: `Owners, assignees and escalation targets name roles as \`role:<id>\`. The engine gives a human step to
the role's members and escalates to them, so a misspelt role would leave work nobody can see. Every
role a charter names must be declared under \`roles\` (with a description; members come from the
role itself or from the directory). \`not_by\` entries are checked by \`oversight/not-by\`.`,
  example: {
    bad: `steps:${CHECK_STEP("done", "role:reviwer")}${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    const roles = Object.keys(charter.roles ?? {});
    const declared = new Set(roles);
    const suggest = createSuggester(roles);
    for (const ref of roleReferences(charter)) {
      // not_by has its own rule (oversight/not-by), which also accepts directory roles.
      if (declared.has(ref.role) || ref.path.includes("not_by")) continue;
      const fix =
        roles.length === 0
          ? ` The charter declares no roles: add roles: { ${ref.role}: { description: ..., members: [user:<id>] } }.`
          : suggest(ref.role) || ` Declare it under roles, or fix the name.`;
      report({
        message: `${ref.subject} names unknown role "${ref.role}" in ${ref.field}.${fix}`,
        path: ref.path,
        ...(ref.offset === undefined ? {} : { offset: ref.offset }),
      });
    }
  },
};

const aiStepExample = (modelTask: string) => `start: classify
steps:
  classify:
    kind: ai
    owner: team:operations
    model_task: ${modelTask}
    accept: { when: "confidence >= 0.9" }
    review: review-category
    timeout: 1m
    on_error: { default: exception }
    next: route
  review-category:
    kind: task
    owner: role:reviewer
    assignee: role:reviewer
    form: { type: object, required: [category], properties: { category: { type: string } } }
    due: 1d
    expire: { after: 3d, goto: exception }
    next: route
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: done
    default: done${DONE_STEP}
`;

const unknownModelTask: Rule = {
  id: "defined/unknown-model-task",
  severity: "error",
  summary: "Every ai step's `model_task` is declared under `model_tasks`.",
  rationale: `An \`ai\` step runs a model task: the instructions and output schema declared under \`model_tasks\`.
The definition is what reviewers read and what the audit trail hashes, so it must be in the charter;
a step naming a task that is not declared could not run.`,
  example: { bad: aiStepExample("clasify"), good: aiStepExample("classify") },
  check({ charter, report }) {
    const tasks = Object.keys(charter.model_tasks ?? {});
    const declared = new Set(tasks);
    const suggest = createSuggester(tasks);
    for (const [id, step] of stepsOfKind(charter, "ai")) {
      if (declared.has(step.model_task)) continue;
      report({
        message: `Step "${id}" uses unknown model task "${step.model_task}" in model_task.${suggest(step.model_task) || ` Declare it under model_tasks with instructions and an output schema.`}`,
        path: ["steps", id, "model_task"],
      });
    }
  },
};

const handlerExample: RuleExample = {
  bad: `steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.chek
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
  good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  options: { handlers: ["requests.check", "requests.archive"] },
};

const unknownHandler: Rule = {
  id: "defined/unknown-handler",
  severity: "error",
  summary: "Every action calls a handler the project registers (checked when the handlers are known).",
  rationale: `An action calls TypeScript code registered under a name. When the linter is given the project's
registered handlers (\`charter lint\` finds them from the project's entry point), each action's
\`handler\` must be one of them; otherwise the first run to reach the step would fail with
"handler not found". Without the list, this rule does not run. (The examples are linted with the
handlers \`requests.check\` and \`requests.archive\` registered.)`,
  example: handlerExample,
  check({ charter, options, report }) {
    if (options.handlers === undefined) return;
    const registered = new Set(options.handlers);
    const suggest = createSuggester(options.handlers);
    for (const [id, step] of stepsOfKind(charter, "action")) {
      if (registered.has(step.handler)) continue;
      report({
        message: `Step "${id}" calls handler "${step.handler}", which is not registered.${suggest(step.handler) || " Register a handler with that name, or fix the name."}`,
        path: ["steps", id, "handler"],
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/unknown-workflow and defined/child-outcome

const workflowExample: RuleExample = {
  bad: vetVendorSteps("vendor-chek", "{ approved: done, default: refused }"),
  good: vetVendorSteps("vendor-check", "{ approved: done, default: refused }"),
  options: WITH_CHILD,
};

const unknownWorkflow: Rule = {
  id: "defined/unknown-workflow",
  severity: "warning",
  summary:
    "A workflow step starts a charter that is linted with this one (checked when charters are linted together).",
  rationale: `A \`workflow\` step starts another charter and waits for its outcome. When several charters are linted
together, a child that is not among them is probably a misspelt id. It may also be deployed
separately, so this is a warning; the child must be deployed before a run reaches the step. (The
examples are linted together with a charter \`vendor-check\` that ends \`approved\` or \`blocked\`.)`,
  example: workflowExample,
  check({ charter, options, report }) {
    if (options.workflows === undefined) return;
    const known = [...options.workflows.keys(), charter.workflow];
    const suggest = createSuggester(known);
    for (const [id, step] of stepsOfKind(charter, "workflow")) {
      if (childCharter(charter, options, step.workflow)) continue;
      report({
        message: `Step "${id}" starts workflow "${step.workflow}", which is not among the charters linted with this one.${suggest(step.workflow) || " Lint it together with this charter, or make sure it is deployed first."}`,
        path: ["steps", id, "workflow"],
      });
    }
  },
};

const childOutcomeExample: RuleExample = {
  bad: vetVendorSteps("vendor-check", "{ approved: done, blockd: refused }"),
  good: vetVendorSteps("vendor-check", "{ approved: done, blocked: refused }"),
  options: WITH_CHILD,
};

const childOutcome: Rule = {
  id: "defined/child-outcome",
  severity: "error",
  summary:
    "A workflow step routes exactly the outcomes its child charter can end with (checked when the child is known).",
  rationale: `A \`workflow\` step continues according to the outcome its child run ended with. When the child charter
is known (linted together, or the charter itself), every key of \`outcomes\` must be an outcome of
one of the child's \`end\` steps, and every outcome the child can end with must be routed, by its
name or by \`default\`. Otherwise a child outcome would leave the parent run with nowhere to go. (The
examples are linted together with a charter \`vendor-check\` that ends \`approved\` or \`blocked\`.)`,
  example: childOutcomeExample,
  check({ charter, options, report }) {
    for (const [id, step] of stepsOfKind(charter, "workflow")) {
      const child = childCharter(charter, options, step.workflow);
      if (!child) continue;
      const outcomes = [...new Set(stepsOfKind(child, "end").map(([, end]) => end.outcome))];
      const childSet = new Set(outcomes);
      for (const key of Object.keys(step.outcomes)) {
        if (key === "default" || childSet.has(key)) continue;
        report({
          message: `Step "${id}" routes outcome "${key}", but workflow "${step.workflow}" never ends with it.${didYouMean(key, outcomes)} Its outcomes are ${listNames(outcomes, 10) || "none"}.`,
          path: ["steps", id, "outcomes", key],
          atKey: true,
        });
      }
      if (Object.hasOwn(step.outcomes, "default")) continue;
      const uncovered = outcomes.filter((o) => !Object.hasOwn(step.outcomes, o));
      if (uncovered.length === 0 || Object.keys(step.outcomes).length === 0) continue;
      report({
        message: `Step "${id}" does not route outcome${uncovered.length > 1 ? "s" : ""} ${listNames(uncovered, 10)} of workflow "${step.workflow}": add ${uncovered.map((o) => `${o}: <step id>`).join(", ")}, or default: <step id>.`,
        path: ["steps", id, "outcomes"],
        atKey: true,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// defined/unused and defined/role-members

const unused: Rule = {
  id: "defined/unused",
  severity: "warning",
  summary: "Every declared role and model task is used.",
  rationale: `A role nobody names and a model task no ai step runs are dead definitions: they mislead reviewers
("who is this role for?") and drift from the workflow. Remove them, or reference them: roles as
\`role:<id>\` in an owner, assignee, \`escalate.to\` or \`not_by\`; model tasks from an ai step's
\`model_task\`.`,
  example: {
    bad: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
  auditor: { description: Reads the audit trail, members: [user:aldo] }
model_tasks: {}
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
    good: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
model_tasks: {}
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    const usedRoles = new Set(roleReferences(charter).map((ref) => ref.role));
    for (const id of Object.keys(charter.roles ?? {}))
      if (!usedRoles.has(id))
        report({
          message: `Role "${id}" is declared but never used: no owner, assignee, escalate.to or not_by names role:${id}. Use it or remove it.`,
          path: ["roles", id],
          atKey: true,
        });
    const usedTasks = new Set(stepsOfKind(charter, "ai").map(([, step]) => step.model_task));
    for (const id of Object.keys(charter.model_tasks ?? {}))
      if (!usedTasks.has(id))
        report({
          message: `Model task "${id}" is declared but no ai step uses it: use it in an ai step's model_task, or remove it.`,
          path: ["model_tasks", id],
          atKey: true,
        });
  },
};

const roleMembers: Rule = {
  id: "defined/role-members",
  severity: "warning",
  summary: "Every role the charter uses has members, inline or in the directory.",
  rationale: `A human step assigned to a role with no members waits until it expires, because nobody sees it in
their inbox. Each role the charter names needs members: \`members: [user:<id>, ...]\` under the role,
or an entry in the directory file the charter points at (\`directory:\`). When the charter names a
directory file that the linter was not given, members cannot be checked and this rule stays quiet.`,
  example: {
    bad: `roles:
  reviewer: { description: Reviews requests }
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
    good: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, options, report }) {
    if (charter.directory !== undefined && options.directory === undefined) return;
    const used = new Set(roleReferences(charter).map((ref) => ref.role));
    for (const [id, role] of Object.entries(charter.roles ?? {})) {
      // An unused role is reported once, by defined/unused.
      if (!used.has(id)) continue;
      if ((role.members?.length ?? 0) > 0 || (options.directory?.roles[id]?.length ?? 0) > 0) continue;
      report({
        message: `Role "${id}" has no members, so nobody can act as role:${id}: add members: [user:<id>, ...]${charter.directory === undefined ? "" : `, or list the role in the directory ${charter.directory}`}.`,
        path: role.members === undefined ? ["roles", id] : ["roles", id, "members"],
        atKey: role.members === undefined,
      });
    }
  },
};

export const definedRules: readonly Rule[] = [
  trigger,
  inputSchema,
  jsonSchema,
  owner,
  success,
  unknownStep,
  routes,
  unreachable,
  noEnd,
  unknownRole,
  unknownModelTask,
  unknownHandler,
  unknownWorkflow,
  childOutcome,
  unused,
  roleMembers,
];
