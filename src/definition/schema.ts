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
import { cronError, timeZoneError } from "./cron.js";

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
/**
 * The error codes a workflow step fails with, routed by its on_error: the child ended with an
 * unsuccessful outcome that nothing routes, ran past the step's timeout, or is not deployed.
 */
export const WORKFLOW_STEP_ERRORS = {
  CHILD_FAILED: "the child ended with an outcome that no route of the step takes",
  TIMEOUT: "the child ran past the step's timeout",
  WORKFLOW_NOT_FOUND: "the child workflow is not deployed",
} as const;
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

  const nextStep = z
    .string()
    .optional()
    .meta({ description: "The step that follows (not in a parallel branch)." });

  const common = {
    owner: required(actor),
    title: z.string().optional().meta({ description: "A short human name for the step." }),
    purpose: z.string().optional().meta({ description: "What the step is for, in one sentence." }),
  };

  const retry = z
    .strictObject({
      max_attempts: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .meta({ description: "Attempts in all, the first included." }),
      backoff: z
        .enum(["fixed", "exponential"])
        .default("exponential")
        .meta({ description: 'How the delay grows between attempts. @default "exponential"' }),
      initial: duration.meta({ description: "Delay before the second attempt (a duration)." }),
      max_delay: duration.optional().meta({ description: "Longest delay between attempts (a duration)." }),
      factor: z.number().min(1).max(10).optional().meta({ description: "Exponential factor. @default 2" }),
    })
    .meta({ description: "How failed attempts are retried: a retryable error waits, then tries again." });

  const onError = z
    .record(z.string().regex(ERROR_CODE_PATTERN, 'an error code is SCREAMING_SNAKE or "default"'), stepTarget)
    .meta({ description: 'Error code -> step id; "default" catches the rest.' });

  const humanCommon = {
    ...common,
    assignee: required(assignee),
    not_by: z.array(z.string().min(1)).optional().meta({
      description: 'Actors who may not decide: "initiator", a step id, or "user:<id>"/"role:<id>".',
    }),
    require_reason: z
      .boolean()
      .optional()
      .meta({ description: "The decision must come with a written reason." }),
    shows: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'Context paths shown to the person: "input", "steps.<id>.output".' }),
    instructions: z
      .string()
      .optional()
      .meta({ description: "What the person is asked to do, shown in the inbox." }),
    due: required(
      duration.meta({ description: "When the decision is due (a duration from when the step opens)." }),
    ),
    escalate: z
      .strictObject({
        after: duration.meta({ description: "How long after the step opens to escalate (a duration)." }),
        to: assignee.meta({ description: "Who is added as an assignee: user:, role: or an expression." }),
      })
      .optional()
      .meta({ description: "Adds an assignee when nobody has decided in time." }),
    expire: required(
      z
        .strictObject({
          after: duration.meta({ description: "How long after the step opens it expires (a duration)." }),
          goto: stepTarget,
        })
        .meta({ description: "Where the run goes when nobody decides at all." }),
    ),
  };

  const action = z.strictObject({
    kind: z.literal("action").meta({ description: "Calls a handler (TypeScript code)." }),
    ...common,
    handler: z
      .string()
      .regex(HANDLER_PATTERN, 'a handler name is dotted identifiers, e.g. "erp.matchPo"')
      .meta({ description: "The registered handler to call, e.g. erp.matchPurchaseOrder." }),
    input: expression
      .optional()
      .meta({ description: "A JSONata expression for the handler's input. @default the run's input" }),
    timeout: required(duration),
    retry: retry.optional(),
    on_error: required(onError),
    irreversible: z.boolean().optional().meta({
      description:
        "A side effect that cannot be undone (a payment, a sent email); the linter checks what gates it.",
    }),
    idempotency: expression
      .optional()
      .meta({ description: "A JSONata expression for the key that makes the side effect happen once." }),
    next: nextStep,
  });

  const ai = z.strictObject({
    kind: z.literal("ai").meta({ description: "Runs a model task; its output is a proposal." }),
    ...common,
    model_task: z.string().min(1).meta({ description: "The model task (under model_tasks) this step runs." }),
    input: expression
      .optional()
      .meta({ description: "A JSONata expression for the model's input. @default the run's input" }),
    accept: required(
      z
        .strictObject({
          when: expression.meta({
            description: "A JSONata condition over output and confidence; true accepts the proposal.",
          }),
        })
        .meta({ description: "When the AI's proposal is accepted without review." }),
    ),
    review: required(
      z.string().min(1).meta({ description: "The human step that reviews a proposal that is not accepted." }),
    ),
    timeout: duration.optional(),
    retry: retry.optional(),
    on_error: onError.optional(),
    next: nextStep,
  });

  const decision = z.strictObject({
    kind: z.literal("decision").meta({ description: "Routes by rules, in order." }),
    ...common,
    policy: z
      .string()
      .optional()
      .meta({ description: "The policy the rules implement; recorded with each decision." }),
    rules: z
      .array(
        z.strictObject({
          name: z.string().optional().meta({ description: "A name for the rule, recorded when it matches." }),
          when: expression.meta({ description: "A JSONata condition; the first rule that is true wins." }),
          goto: z.string().min(1).meta({ description: "The step to go to when the rule matches." }),
        }),
      )
      .min(1)
      .meta({ description: "Rules evaluated in order; never AI." }),
    default: z.string().min(1).meta({ description: "The step to go to when no rule matches." }),
  });

  const approval = z.strictObject({
    kind: z.literal("approval").meta({ description: "A person approves or rejects." }),
    ...humanCommon,
    outcomes: z
      .record(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"), z.string().min(1))
      .meta({ description: "Outcome -> step id. approved and rejected are required; more may be listed." }),
  });

  const task = z.strictObject({
    kind: z.literal("task").meta({ description: "A person does work and submits a form." }),
    ...humanCommon,
    form: jsonSchema.optional().meta({ description: "A JSON Schema of what the person submits." }),
    outcomes: z
      .record(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"), z.string().min(1))
      .optional()
      .meta({ description: "Outcome -> step id, when the person chooses between routes (instead of next)." }),
    next: nextStep,
  });

  const parallel = z.strictObject({
    kind: z.literal("parallel").meta({ description: "Runs branches concurrently, then joins." }),
    ...common,
    branches: z
      .array(z.array(z.string().min(1)).min(1))
      .min(1)
      .optional()
      .meta({
        description: "Lists of step ids; each list runs in order, the lists run concurrently and join.",
      }),
    for_each: expression
      .optional()
      .meta({ description: "A JSONata expression giving the items to run `branch` for." }),
    as: z
      .string()
      .regex(/^[a-z][A-Za-z0-9_]*$/)
      .optional()
      .meta({ description: 'Name of the current item in branch expressions. @default "item"' }),
    branch: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .meta({ description: "With for_each: the step ids run, in order, for each item." }),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .meta({ description: "With for_each: the most items in progress at once." }),
    on_error: onError.optional(),
    next: nextStep.meta({ description: "The step after the join." }),
  });

  const wait = z.strictObject({
    kind: z.literal("wait").meta({ description: "Waits for an event or a time." }),
    ...common,
    event: z
      .string()
      .regex(EVENT_NAME_PATTERN, 'an event name is dotted lowercase, e.g. "po.received"')
      .optional()
      .meta({ description: "The name of the event to wait for, e.g. po.received (with correlation)." }),
    correlation: expression.optional().meta({
      description:
        "With event: a JSONata expression over the run; the event whose correlation key equals its value resumes this run.",
    }),
    until: expression.optional().meta({
      description: "Wait until the time this JSONata expression gives (ISO 8601), instead of an event.",
    }),
    timeout: required(duration.meta({ description: "The longest the wait may last (a duration)." })),
    on_timeout: required(
      z.string().min(1).meta({ description: "Where the run goes when the wait times out." }),
    ),
    next: nextStep,
  });

  const workflow = z.strictObject({
    kind: z
      .literal("workflow")
      .meta({ description: "Starts a child run of another charter and continues when it ends." }),
    ...common,
    workflow: id("a workflow id").meta({ description: "The child charter's workflow id." }),
    input: expression.optional().meta({ description: "A JSONata expression for the child run's input." }),
    timeout: duration.optional().meta({
      description: "The longest the child run may take (a duration); past it the step fails with TIMEOUT.",
    }),
    outcomes: z.record(z.string().min(1), z.string().min(1)).optional().meta({
      description:
        'Child outcome -> step id, taken first; "default" catches outcomes neither listed nor routed by next.',
    }),
    next: nextStep.meta({
      description: "Where the run goes when the child ends with a success outcome not listed in outcomes.",
    }),
    on_error: onError.optional().meta({
      description:
        'Error code -> step id: CHILD_FAILED (an unsuccessful outcome routed nowhere), TIMEOUT, WORKFLOW_NOT_FOUND; "default" catches the rest. Unrouted errors go to the exception queue.',
    }),
  });

  const end = z.strictObject({
    kind: z.literal("end").meta({ description: "Ends the run with an outcome." }),
    title: z.string().optional().meta({ description: "A short human name for the end." }),
    purpose: z.string().optional().meta({ description: "What ending here means, in one sentence." }),
    outcome: z
      .string()
      .regex(OUTCOME_PATTERN, "an outcome is lowercase")
      .meta({ description: "The run's outcome when it ends here." }),
    success: z.boolean().optional().meta({
      description: "Whether this end counts as success. @default whether outcome is in success.outcomes",
    }),
  });

  return z.discriminatedUnion("kind", [action, ai, decision, approval, task, parallel, wait, workflow, end]);
}

function trigger() {
  return z
    .strictObject({
      manual: z
        .strictObject({})
        .optional()
        .meta({ description: "Started by a person (CLI, inbox, API). Written `manual: {}`." }),
      webhook: z
        .strictObject({
          path: z
            .string()
            .regex(/^\/[A-Za-z0-9/_.-]*$/, "a webhook path starts with /")
            .meta({ description: "The path a POST starts a run at, e.g. /invoices." }),
        })
        .optional()
        .meta({ description: "Started by an HTTP request; its body is the input." }),
      schedule: z
        .strictObject({
          cron: z
            .string()
            .superRefine((cron, ctx) => {
              const problem = cronError(cron);
              if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .meta({
              description: 'When to start a run: 5 cron fields (or 6 with seconds), e.g. "0 6 * * 1-5".',
            }),
          timezone: z
            .string()
            .superRefine((zone, ctx) => {
              const problem = timeZoneError(zone);
              if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .optional()
            .meta({ description: 'The IANA time zone the cron expression is read in. @default "UTC"' }),
        })
        .optional()
        .meta({ description: "Started on a schedule." }),
      event: z
        .strictObject({
          name: z
            .string()
            .regex(EVENT_NAME_PATTERN, 'an event name is dotted lowercase, e.g. "invoice.received"')
            .meta({ description: "The event that starts a run; its data is the input." }),
        })
        .optional()
        .meta({ description: "Started by an event." }),
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
    workflow: id("a workflow id").meta({
      description: "The workflow's id: lowercase letters, digits and '-'.",
    }),
    title: z.string().min(1).meta({ description: "A human name for the workflow." }),
    description: z.string().optional().meta({ description: "What the workflow does and why." }),
    owner: required(actor),
    directory: z
      .string()
      .optional()
      .meta({ description: "A directory file (relative to this charter) listing role members." }),
    triggers: required(z.array(trigger()).meta({ description: "What starts a run; at least one." })),
    input: required(
      z
        .strictObject({
          schema: required(
            jsonSchema.meta({ description: "A JSON Schema (draft 2020-12) of a run's input." }),
          ),
          on_invalid: required(z.string().min(1)).meta({ description: 'A step id, or "reject".' }),
        })
        .meta({ description: "What input a run takes, and where an invalid one goes." }),
    ),
    success: required(
      z
        .strictObject({
          outcomes: required(
            z
              .array(z.string().regex(OUTCOME_PATTERN, "an outcome is lowercase"))
              .meta({ description: "End outcomes that count as success." }),
          ),
          within: duration
            .optional()
            .meta({ description: "End-to-end service level (a duration); a breach is recorded." }),
        })
        .meta({ description: "What success looks like." }),
    ),
    roles: z
      .record(
        id("a role id"),
        z.strictObject({
          description: z.string().optional().meta({ description: "What the role does." }),
          members: z
            .array(z.string().regex(/^user:[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'a member is "user:<id>"'))
            .optional()
            .meta({ description: 'Who holds the role: "user:<id>" (or list them in a directory file).' }),
        }),
      )
      .optional()
      .meta({ description: "Who may act; members listed here or in the directory file." }),
    start: z.string().min(1).meta({ description: "The first step." }),
    steps: z.record(id("a step id"), steps(mode)).meta({ description: "The steps, by id." }),
    model_tasks: z
      .record(
        id("a model task id"),
        z.strictObject({
          description: z.string().optional().meta({ description: "What the task is for." }),
          instructions: z.string().min(1).meta({ description: "What the model is asked to do." }),
          model: z.string().optional().meta({ description: 'Provider model, e.g. "openai:gpt-4o-mini".' }),
          input: jsonSchema.optional().meta({ description: "A JSON Schema of the model's input." }),
          output: required(
            jsonSchema.meta({ description: "A JSON Schema the model's output must satisfy." }),
          ),
        }),
      )
      .optional()
      .meta({ description: "Named AI jobs that ai steps run." }),
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
