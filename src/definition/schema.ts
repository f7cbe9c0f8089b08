/**
 * The charter language, described once.
 *
 * `buildCharterSchema("strict")` is the contract users write against: the TypeScript types of
 * `defineWorkflow`, and the JSON Schema that editors use, both come from it. The "lenient" variant
 * differs only in that production-readiness fields (owners, timeouts, due dates, ...) are optional,
 * so that a charter missing them still parses and the linter can report each one under its own rule
 * id, at its position, together with every other finding.
 */
import { z } from "zod";
import { cronError } from "./cron.js";

export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w))+$/;
export const HANDLER_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
export const ERROR_CODE_PATTERN = /^([A-Z][A-Z0-9_]*|default)$/;
export const OUTCOME_PATTERN = /^[a-z][a-z0-9_-]*$/;
/** `team:`, `role:` and `user:` are owners; `ai:` parses so that the linter can refuse it by name. */
export const ACTOR_PATTERN = /^(team|role|user|ai):[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Targets that are not steps: the charter's exception queue, and refusing an invalid input. */
export const EXCEPTION_TARGET = "exception";
export const REJECT_TARGET = "reject";
/** Inside a parallel branch: carry on with the next step of the branch (or join after the last). */
export const CONTINUE_TARGET = "continue";
export const RESERVED_STEP_IDS: readonly string[] = [EXCEPTION_TARGET, REJECT_TARGET, CONTINUE_TARGET];

export const STEP_KINDS = [
  "action",
  "ai",
  "decision",
  "approval",
  "task",
  "parallel",
  "wait",
  "workflow",
  "end",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];
/** Steps where a person acts: they gate AI output and irreversible actions. */
export const HUMAN_STEP_KINDS: readonly StepKind[] = ["approval", "task"];

export type SchemaMode = "strict" | "lenient";

const id = (what: string) =>
  z.string().regex(ID_PATTERN, `${what} must be lowercase letters, digits and single '-' (e.g. "match-po")`);

const duration = z
  .string()
  .regex(DURATION_PATTERN, 'a duration is a number and a unit: "30s", "5m", "8h", "2d" (also "ms", "w")')
  .meta({ description: 'A duration: "500ms", "30s", "5m", "8h", "2d", "1w" or combined, "1h30m".' });

const expression = z
  .string()
  .min(1, "an expression cannot be empty")
  .meta({ description: "A JSONata expression over the run context (input, steps, run)." });

const actor = z
  .string()
  .regex(ACTOR_PATTERN, 'an actor is "team:<id>", "role:<id>" or "user:<id>"')
  .meta({ description: 'Who is accountable: "team:<id>", "role:<id>" or "user:<id>". Never an AI.' });

/** An assignee is a fixed actor, or a JSONata expression that evaluates to one. */
const assignee = z.string().min(1).meta({
  description: 'Who may act: "user:<id>", "role:<id>", or a JSONata expression that evaluates to one.',
});

/** A JSON Schema document (validated as JSON Schema by the linter, not here). */
const jsonSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "A JSON Schema (draft 2020-12) describing the data." });

const stepTarget = z
  .string()
  .min(1)
  .meta({
    description: `A step id, or "${EXCEPTION_TARGET}" for the charter's exception queue.`,
  });

function steps(mode: SchemaMode) {
  /** A field the linter requires for production readiness; optional only in the lenient variant. */
  const required = <T extends z.ZodType>(schema: T) => (mode === "strict" ? schema : schema.optional());

  const common = {
    owner: required(actor),
    title: z.string().optional().meta({ description: "A short human name for the step." }),
    purpose: z.string().optional().meta({ description: "What the step is for, in one sentence." }),
  };

  const retry = z.strictObject({
    max_attempts: z.number().int().min(1).max(1000),
    backoff: z.enum(["fixed", "exponential"]).default("exponential"),
    initial: duration,
    max_delay: duration.optional(),
    factor: z.number().min(1).max(10).optional().meta({ description: "Exponential factor. @default 2" }),
  });

  const onError = z
    .record(z.string().regex(ERROR_CODE_PATTERN, 'an error code is SCREAMING_SNAKE or "default"'), stepTarget)
    .meta({ description: 'Error code -> step id; "default" catches the rest.' });

  const humanCommon = {
    ...common,
    assignee: required(assignee),
    not_by: z
      .array(z.string().min(1))
      .optional()
      .meta({
        description: 'Actors who may not decide: "initiator", a step id, or "user:<id>"/"role:<id>".',
      }),
    require_reason: z.boolean().optional(),
    shows: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'Context paths shown to the person: "input", "steps.<id>.output".' }),
    instructions: z.string().optional(),
    due: required(duration),
    escalate: z.strictObject({ after: duration, to: assignee }).optional(),
    expire: required(z.strictObject({ after: duration, goto: stepTarget })),
  };

  const action = z.strictObject({
    kind: z.literal("action"),
    ...common,
    handler: z.string().regex(HANDLER_PATTERN, 'a handler name is dotted identifiers, e.g. "erp.matchPo"'),
    input: expression.optional(),
    timeout: required(duration),
    retry: retry.optional(),
    on_error: required(onError),
    irreversible: z.boolean().optional(),
    idempotency: expression.optional(),
    next: z.string().optional(),
  });

  const ai = z.strictObject({
    kind: z.literal("ai"),
    ...common,
    model_task: z.string().min(1),
    input: expression.optional(),
    accept: required(z.strictObject({ when: expression })),
    review: required(z.string().min(1)),
    timeout: duration.optional(),
    retry: retry.optional(),
    on_error: onError.optional(),
    next: z.string().optional(),
  });

  const decision = z.strictObject({
    kind: z.literal("decision"),
    ...common,
    policy: z
      .string()
      .optional()
      .meta({ description: "The policy the rules implement; recorded with each decision." }),
    rules: z
      .array(z.strictObject({ name: z.string().optional(), when: expression, goto: z.string().min(1) }))
      .min(1),
    default: z.string().min(1),
  });

  const approval = z.strictObject({
    kind: z.literal("approval"),
    ...humanCommon,
    outcomes: z
      .record(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"), z.string().min(1))
      .meta({ description: "Outcome -> step id. approved and rejected are required; more may be listed." }),
  });

  const task = z.strictObject({
    kind: z.literal("task"),
    ...humanCommon,
    form: jsonSchema.optional(),
    outcomes: z
      .record(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"), z.string().min(1))
      .optional(),
    next: z.string().optional(),
  });

  const parallel = z.strictObject({
    kind: z.literal("parallel"),
    ...common,
    branches: z
      .array(z.array(z.string().min(1)).min(1))
      .min(1)
      .optional(),
    for_each: expression.optional(),
    as: z
      .string()
      .regex(/^[a-z][A-Za-z0-9_]*$/)
      .optional()
      .meta({ description: 'Name of the current item in branch expressions. @default "item"' }),
    branch: z.array(z.string().min(1)).min(1).optional(),
    concurrency: z.number().int().min(1).max(10_000).optional(),
    on_error: onError.optional(),
    next: z.string().optional(),
  });

  const wait = z.strictObject({
    kind: z.literal("wait"),
    ...common,
    event: z
      .strictObject({
        name: z.string().regex(EVENT_NAME_PATTERN, 'an event name is dotted lowercase, e.g. "po.received"'),
        correlate: expression,
      })
      .optional(),
    until: expression.optional(),
    timeout: required(duration),
    on_timeout: required(z.string().min(1)),
    next: z.string().optional(),
  });

  const workflow = z.strictObject({
    kind: z.literal("workflow"),
    ...common,
    workflow: id("a workflow id"),
    input: expression.optional(),
    timeout: duration.optional(),
    outcomes: z.record(z.string().min(1), z.string().min(1)).meta({
      description: 'Child outcome -> step id; "default" catches the rest.',
    }),
  });

  const end = z.strictObject({
    kind: z.literal("end"),
    title: z.string().optional(),
    purpose: z.string().optional(),
    outcome: z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"),
    success: z.boolean().optional(),
  });

  return z.discriminatedUnion("kind", [action, ai, decision, approval, task, parallel, wait, workflow, end]);
}

function trigger() {
  return z
    .strictObject({
      manual: z.strictObject({}).optional(),
      webhook: z
        .strictObject({ path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, "a webhook path starts with /") })
        .optional(),
      schedule: z
        .strictObject({
          cron: z.string().superRefine((cron, ctx) => {
            const problem = cronError(cron);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
          timezone: z.string().optional(),
        })
        .optional(),
      event: z
        .strictObject({
          name: z
            .string()
            .regex(EVENT_NAME_PATTERN, 'an event name is dotted lowercase, e.g. "invoice.received"'),
        })
        .optional(),
    })
    .refine(
      (t) => Object.keys(t).length === 1,
      "a trigger is exactly one of: manual, webhook, schedule, event",
    );
}

export function buildCharterSchema(mode: SchemaMode) {
  const required = <T extends z.ZodType>(schema: T) => (mode === "strict" ? schema : schema.optional());
  return z.strictObject({
    $schema: z.string().optional(),
    charter: z.literal(1).meta({ description: "Language version." }),
    workflow: id("a workflow id"),
    title: z.string().min(1),
    description: z.string().optional(),
    owner: required(actor),
    directory: z
      .string()
      .optional()
      .meta({ description: "A directory file (relative to this charter) listing role members." }),
    triggers: required(z.array(trigger())),
    input: required(
      z.strictObject({
        schema: required(jsonSchema),
        on_invalid: required(z.string().min(1)).meta({ description: 'A step id, or "reject".' }),
      }),
    ),
    success: required(
      z.strictObject({
        outcomes: z.array(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase")),
        within: duration.optional(),
      }),
    ),
    roles: z
      .record(
        id("a role id"),
        z.strictObject({
          description: z.string().optional(),
          members: z
            .array(z.string().regex(/^user:[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'a member is "user:<id>"'))
            .optional(),
        }),
      )
      .optional(),
    start: z.string().min(1),
    steps: z.record(id("a step id"), steps(mode)),
    model_tasks: z
      .record(
        id("a model task id"),
        z.strictObject({
          description: z.string().optional(),
          instructions: z.string().min(1),
          model: z.string().optional().meta({ description: 'Provider model, e.g. "openai:gpt-4o-mini".' }),
          input: jsonSchema.optional(),
          output: required(jsonSchema),
        }),
      )
      .optional(),
  });
}

export const charterSchema = buildCharterSchema("strict");
export const lenientCharterSchema = buildCharterSchema("lenient");

/** What a user writes (YAML, JSON, or `defineWorkflow`): defaults not yet applied. */
export type CharterDefinition = z.input<typeof charterSchema>;
/** A charter that parsed; production-readiness fields may still be missing (the linter reports them). */
export type Charter = z.output<typeof lenientCharterSchema>;
export type Step = Charter["steps"][string];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;
export type ModelTask = NonNullable<Charter["model_tasks"]>[string];
export type Trigger = NonNullable<Charter["triggers"]>[number];
