/**
 * defined/unknown-reference: every context path a charter reads exists. Expressions and the
 * `shows` lists of human steps name `input.<field>`, `steps.<id>.<field>...` and `run.<field>`;
 * each name is checked against the charter: its steps, the fields a step exposes, and the JSON
 * Schemas that declare the input, an AI step's output (its model task) and a task's form.
 */
import { contextReferences } from "../../../expr/references.js";
import { CONTEXT_ROOTS, forEachItemNames, RUN_FIELDS, STEP_FIELDS } from "../../expressions.js";
import type { ExpressionSite } from "../../expressions.js";
import type { Charter, Step } from "../../schema.js";
import { closest, didYouMean } from "../../suggest.js";
import type { Rule, RuleContext } from "../rule.js";
import { parsedSite } from "./expression.js";

/** A reference to check: names from the root, and where each is written. */
interface Reference {
  readonly path: readonly string[];
  readonly offsets: readonly number[];
}

/** Where a reference is written: an expression (with its source) or a `shows` entry. */
interface Scope {
  readonly roots: readonly string[];
  readonly stepId: string;
  readonly source?: string;
  readonly what: "expression" | "shows entry";
}

interface Problem {
  readonly message: string;
  /** The index in the path of the name that is wrong. */
  readonly index: number;
  /** A dashed name spans later "references" (JSONata read `match-po` as `match - po`). */
  readonly end?: number;
}

/** Keywords under which a JSON Schema may accept fields it does not list in `properties`. */
const OPEN_KEYWORDS = [
  "oneOf",
  "anyOf",
  "allOf",
  "$ref",
  "$dynamicRef",
  "not",
  "if",
  "then",
  "else",
  "patternProperties",
  "dependentSchemas",
  "prefixItems",
];
const MAX_LISTED = 10;
const SCAN_BUDGET = 500_000;
/** Characters of a step id: the alphabet of one-edit variants. */
const ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-";
const DASHED_NAME = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+/y;

class ReferenceChecker {
  readonly #charter: Charter;
  #stepIds: string[] | undefined;
  readonly #stepSuggestions = new Map<string, string>();
  /** Step ids compared by full scans so far; past SCAN_BUDGET only one-edit typos are suggested. */
  #scanned = 0;

  constructor(charter: Charter) {
    this.#charter = charter;
  }

  /** The first wrong name of `ref`, if any. */
  check(ref: Reference, scope: Scope): Problem | undefined {
    const { roots, stepId, source, what } = scope;
    const [root, ...rest] = ref.path;
    if (root === undefined) return undefined;
    if (!roots.includes(root)) {
      return {
        message: `unknown name "${root}" in ${what}; a${what === "expression" ? "n" : ""} ${what} reads ${roots.join(", ")}.${didYouMean(root, roots)}`,
        index: 0,
      };
    }
    switch (root) {
      case "steps":
        return this.#checkStep(ref, source);
      case "input":
        return checkFields(this.#charter.input?.schema, ref, 1, "input.schema", source);
      case "run":
        return rest.length > 0 && !(RUN_FIELDS as readonly string[]).includes(rest[0]!)
          ? {
              message: `run has no field "${rest[0]}"; run exposes ${RUN_FIELDS.join(", ")}.${didYouMean(rest[0]!, RUN_FIELDS)}`,
              index: 1,
            }
          : undefined;
      case "output": {
        // The acceptance condition of an AI step reads its own proposal.
        const step = this.#charter.steps[stepId];
        const task = step?.kind === "ai" ? this.#charter.model_tasks?.[step.model_task] : undefined;
        const owner = step?.kind === "ai" ? `the output schema of model task "${step.model_task}"` : "";
        return checkFields(task?.output, ref, 1, owner, source);
      }
      default:
        return undefined;
    }
  }

  #checkStep(ref: Reference, source: string | undefined): Problem | undefined {
    const { path, offsets } = ref;
    const id = path[1];
    if (id === undefined) return undefined;
    const step = Object.hasOwn(this.#charter.steps, id) ? this.#charter.steps[id] : undefined;
    if (!step) {
      const dashed = dashedName(source, offsets[1], (name) => Object.hasOwn(this.#charter.steps, name));
      if (dashed) {
        return {
          message: `step id "${dashed}" has a "-", which JSONata reads as a minus: quote it with backticks, steps.\`${dashed}\``,
          index: 1,
          end: offsets[1]! + dashed.length,
        };
      }
      return {
        message: `unknown step "${id}": no step of this charter has that id.${this.#suggestStep(id)}`,
        index: 1,
      };
    }
    const field = path[2];
    if (field === undefined) return undefined;
    if (!(STEP_FIELDS as readonly string[]).includes(field)) {
      return {
        message: `steps.${id} has no field "${field}"; a step exposes ${STEP_FIELDS.join(", ")}.${didYouMean(field, STEP_FIELDS)}`,
        index: 2,
      };
    }
    if (field !== "output") return undefined;
    const declared = this.#declaredOutput(step);
    return declared ? checkFields(declared.schema, ref, 3, declared.owner, source) : undefined;
  }

  #declaredOutput(step: Step): { schema: unknown; owner: string } | undefined {
    if (step.kind === "ai") {
      const task = this.#charter.model_tasks?.[step.model_task];
      return task && { schema: task.output, owner: `the output schema of model task "${step.model_task}"` };
    }
    if (step.kind === "task" && step.form) return { schema: step.form, owner: "the step's form" };
    return undefined;
  }

  /**
   * A suggestion scans every step id, so a charter with thousands of steps and thousands of typos
   * would be quadratic. Each misspelling is looked up once; a one-edit typo is found by lookups of
   * its variants (cost independent of the step count); full scans stop after SCAN_BUDGET ids.
   */
  #suggestStep(id: string): string {
    let suggestion = this.#stepSuggestions.get(id);
    if (suggestion === undefined) {
      const steps = this.#charter.steps;
      let match = oneEditAway(id.toLowerCase(), (candidate) => Object.hasOwn(steps, candidate));
      this.#stepIds ??= Object.keys(steps);
      if (match === undefined && this.#scanned + this.#stepIds.length <= SCAN_BUDGET) {
        this.#scanned += this.#stepIds.length;
        match = closest(id, this.#stepIds);
      }
      suggestion = match === undefined ? "" : ` Did you mean "${match}"?`;
      this.#stepSuggestions.set(id, suggestion);
    }
    return suggestion;
  }
}

/** A name one deletion, insertion, substitution or transposition away from `name` that exists. */
function oneEditAway(name: string, exists: (candidate: string) => boolean): string | undefined {
  if (exists(name)) return name; // `name` is lowercased: a difference of case only
  for (let i = 0; i <= name.length; i++) {
    const before = name.slice(0, i);
    const after = name.slice(i);
    if (i < name.length && exists(before + after.slice(1))) return before + after.slice(1);
    if (i + 1 < name.length && exists(before + after[1] + after[0] + after.slice(2)))
      return before + after[1] + after[0] + after.slice(2);
    for (const char of ID_CHARACTERS) {
      if (exists(before + char + after)) return before + char + after;
      if (i < name.length && exists(before + char + after.slice(1))) return before + char + after.slice(1);
    }
  }
  return undefined;
}

/** Check `ref.path[from...]` against the fields `schema` declares, descending while it declares them. */
function checkFields(
  schema: unknown,
  ref: Reference,
  from: number,
  owner: string,
  source: string | undefined,
): Problem | undefined {
  let current = schema;
  for (let index = from; index < ref.path.length; index++) {
    const fields = declaredFields(current);
    if (!fields) return undefined;
    const name = ref.path[index]!;
    if (!Object.hasOwn(fields, name)) {
      const names = Object.keys(fields);
      const dashed = dashedName(source, ref.offsets[index], (candidate) => Object.hasOwn(fields, candidate));
      const parent = ref.path.slice(0, index).join(".");
      if (dashed) {
        return {
          message: `field "${dashed}" has a "-", which JSONata reads as a minus: quote it with backticks, ${parent}.\`${dashed}\``,
          index,
          end: ref.offsets[index]! + dashed.length,
        };
      }
      const listed =
        names.length > MAX_LISTED
          ? `${names.slice(0, MAX_LISTED).join(", ")} and ${names.length - MAX_LISTED} more`
          : names.join(", ");
      return {
        message: `unknown field "${name}" in ${parent}; ${owner} declares ${listed || "no fields"}${index > from ? " there" : ""}.${didYouMean(name, names)}`,
        index,
      };
    }
    current = fields[name];
  }
  return undefined;
}

/**
 * The fields a schema declares for reading, or undefined when it accepts others too: no
 * `properties`, `additionalProperties` allowed, or a combinator or `$ref` we do not follow. A path
 * through an array reads its items (JSONata maps over arrays), so `items` is followed. An absent
 * `additionalProperties` counts as closed: reading an undeclared field is almost always a typo.
 */
function declaredFields(schema: unknown): Record<string, unknown> | undefined {
  let current = schema;
  for (let depth = 0; depth < 64; depth++) {
    if (!isRecord(current)) return undefined;
    const node = current;
    if (OPEN_KEYWORDS.some((keyword) => keyword in node)) return undefined;
    if (!isRecord(current.properties) && isRecord(current.items)) {
      current = current.items;
      continue;
    }
    if (!isRecord(current.properties)) return undefined;
    const closed = (value: unknown) => value === undefined || value === false;
    if (!closed(current.additionalProperties) || !closed(current.unevaluatedProperties)) return undefined;
    return current.properties;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `steps.match-po.output` parses as `steps.match - po.output`. When the text at `offset` is a
 * dashed name whose longest known prefix exists, return that name.
 */
function dashedName(
  source: string | undefined,
  offset: number | undefined,
  exists: (name: string) => boolean,
): string | undefined {
  if (source === undefined || offset === undefined) return undefined;
  DASHED_NAME.lastIndex = offset;
  const match = DASHED_NAME.exec(source);
  if (!match) return undefined;
  const parts = match[0].split("-");
  for (let count = parts.length; count >= 2; count--) {
    const name = parts.slice(0, count).join("-");
    if (exists(name)) return name;
  }
  return undefined;
}

function checkExpression(context: RuleContext, checker: ReferenceChecker, site: ExpressionSite): void {
  const parsed = parsedSite(context, site);
  if (!parsed.ok) return; // expression/syntax and expression/too-long report it
  const scope: Scope = { roots: site.roots, stepId: site.stepId, source: parsed.source, what: "expression" };
  let coveredUntil = -1;
  for (const ref of contextReferences(parsed.ast, parsed.source)) {
    if (ref.offset < coveredUntil) continue;
    const problem = checker.check(ref, scope);
    if (!problem) continue;
    context.report({ message: problem.message, path: site.path, offset: ref.offsets[problem.index] });
    coveredUntil = problem.end ?? coveredUntil;
  }
}

/** `shows` entries are plain dotted paths (`steps.match-po.output`), not JSONata. */
function checkShows(context: RuleContext, checker: ReferenceChecker): void {
  const itemNames = forEachItemNames(context.charter);
  for (const [stepId, step] of Object.entries(context.charter.steps)) {
    if ((step.kind !== "approval" && step.kind !== "task") || !step.shows) continue;
    step.shows.forEach((entry, i) => {
      const path = ["steps", stepId, "shows", i];
      const names = entry.split(".");
      if (entry.includes("`") || names.some((name) => name.trim() === "" || name.trim() !== name)) {
        const plain = entry.replaceAll("`", "").replaceAll(" ", "");
        context.report({
          message: `"${entry}" is not a context path: a shows entry is names joined by ".", with no backticks or spaces even when a step id has a "-", e.g. ${plain || "steps.match-po.output"}`,
          path,
        });
        return;
      }
      const offsets = names.map((_, n) => names.slice(0, n).join(".").length + (n > 0 ? 1 : 0));
      const problem = checker.check(
        { path: names, offsets },
        { roots: [...CONTEXT_ROOTS, ...(itemNames.get(stepId) ?? [])], stepId, what: "shows entry" },
      );
      if (problem) context.report({ message: problem.message, path, offset: offsets[problem.index] });
    });
  }
}

const unknownReference: Rule = {
  id: "defined/unknown-reference",
  severity: "error",
  summary: "Expressions and `shows` read only context paths that exist.",
  rationale:
    `An expression reads the run context: \`input\`, \`steps.<id>.output\` (and \`decision\`,
\`confidence\`, \`error\`, \`status\`, \`attempts\`), and \`run\`. A misspelt name does not fail: JSONata
reads it as nothing, so a condition is quietly false and a run takes the wrong route. The linter
checks every name against the charter: the step ids, the fields a step exposes, and the fields
declared by \`input.schema\`, by an AI step's model task \`output\` and by a task's \`form\`. Where a
schema does not list its fields (no \`properties\`, \`additionalProperties\` allowed, or
\`oneOf\`/\`anyOf\`/\`allOf\`/\`$ref\`), any field below it is accepted. A step id with a \`-\` is
quoted with backticks in JSONata (\`` +
    "steps.`match-po`.output" +
    `\`) but not in \`shows\`.`,
  example: {
    bad: `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
    input: "{ 'id': input.requestID, 'amount': input.amount }"
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`,
    good: `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
    input: "{ 'id': input.requestId, 'amount': input.amount }"
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`,
  },
  check(context) {
    const checker = new ReferenceChecker(context.charter);
    for (const site of context.expressions) checkExpression(context, checker, site);
    checkShows(context, checker);
  },
};

export const referenceRules: readonly Rule[] = [unknownReference];
