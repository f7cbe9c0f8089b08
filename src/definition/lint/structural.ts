/**
 * Findings the parser and the schema make before any lint rule runs, and the one check across
 * charters (duplicate workflow ids). They have rule ids and docs pages like lint rules, but no
 * `check`: `loadCharter` and the CLI produce them.
 */
import type { Severity } from "../diagnostic.js";

export interface StructuralRule {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly rationale: string;
  /** Whole files (or fragments of one), shown on the rule's docs page. */
  readonly example: { readonly bad: string; readonly good: string };
}

const rule = (id: string, summary: string, rationale: string, bad: string, good: string): StructuralRule => ({
  id,
  severity: "error",
  summary,
  rationale,
  example: { bad, good },
});

export const STRUCTURAL_RULES: readonly StructuralRule[] = [
  rule(
    "syntax/yaml",
    "The file is not valid YAML or JSON.",
    "A charter is read with a YAML 1.2 parser, which also reads JSON. The message gives the parser's reason at the position where reading stopped.",
    "steps:\n  check: { kind: action, owner: team:ops\n",
    "steps:\n  check: { kind: action, owner: team:ops }\n",
  ),
  rule(
    "syntax/duplicate-key",
    "A field appears twice in the same mapping.",
    "YAML parsers disagree on which of two equal keys wins, so a duplicate is almost always a mistake, and a silent one. Charter refuses it at the second occurrence.",
    "steps:\n  done: { kind: end, outcome: paid }\n  done: { kind: end, outcome: rejected }\n",
    "steps:\n  paid: { kind: end, outcome: paid }\n  rejected: { kind: end, outcome: rejected }\n",
  ),
  rule(
    "syntax/not-text",
    "The file is not UTF-8 text.",
    "A charter is a text file. Binary content, a NUL byte or invalid UTF-8 means the wrong file was given.",
    "<binary data>",
    "charter: 1\nworkflow: invoice-approval\n",
  ),
  rule(
    "syntax/multiple-documents",
    "The file holds more than one YAML document.",
    "One file is one charter, so that a file name identifies a workflow in errors, docs and deployments. Split `---`-separated documents into files.",
    "charter: 1\nworkflow: first\n---\ncharter: 1\nworkflow: second\n",
    "charter: 1\nworkflow: first\n",
  ),
  rule(
    "syntax/empty",
    "The file is empty.",
    "An empty file is usually a mistake in a glob or a failed write; a charter starts with `charter: 1`.",
    "",
    "charter: 1\nworkflow: invoice-approval\n",
  ),
  rule(
    "limits/file-size",
    "The file is larger than the `maxBytes` limit (default 4 MiB).",
    "Real charters are a few kilobytes. The limit stops a wrong or hostile file before it is parsed; raise it with the `maxBytes` option if a generated charter really needs more.",
    "<a 10 MB file>",
    "<a file under 4 MiB>",
  ),
  rule(
    "limits/depth",
    "Mappings and lists are nested deeper than the `maxDepth` limit (default 64).",
    "A charter needs about ten levels. Deeper nesting is refused before parsing, because parsers recurse and a 10,000-deep document would exhaust the stack.",
    "input:\n  schema: [[[[[[[[[[ ... 10,000 levels ... ]]]]]]]]]]\n",
    "input:\n  schema: { type: object }\n",
  ),
  rule(
    "limits/aliases",
    "YAML aliases expand more than the `maxAliases` limit (default 100).",
    'Anchors and aliases (`&a`, `*a`) can make a small file expand to gigabytes ("billion laughs"). Charter counts expansions and stops past the limit.',
    'a: &a ["lol", "lol", "lol"]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\n# ... and so on\n',
    "retry: &retry { max_attempts: 3, initial: 5s }\n",
  ),
  rule(
    "limits/steps",
    "The charter has more steps than the `maxSteps` limit (default 10,000).",
    "A workflow with thousands of steps cannot be reviewed by the people who own it. Split it into workflows that start each other with `workflow` steps.",
    "steps:\n  step-1: ...\n  # ... 10,001 steps\n",
    "steps:\n  intake: { kind: workflow, workflow: intake, ... }\n",
  ),
  rule(
    "schema/unknown-field",
    "A field that the language does not have; usually a typo.",
    "Unknown fields are refused rather than ignored, so a misspelt `timout` cannot silently leave a step without a timeout. The message suggests the closest field.",
    "match-po:\n  kind: action\n  timout: 30s\n",
    "match-po:\n  kind: action\n  timeout: 30s\n",
  ),
  rule(
    "schema/missing-field",
    "A field the language requires is missing.",
    "Some fields are needed to read the charter at all: `charter`, `workflow`, `title`, `start`, `steps`, a step's `kind`, an action's `handler`, a decision's `rules`. (Fields needed for production readiness, such as owners and timeouts, are reported by lint rules instead, with their own ids.)",
    "match-po:\n  kind: action\n  owner: team:ap\n",
    "match-po:\n  kind: action\n  owner: team:ap\n  handler: erp.matchPurchaseOrder\n",
  ),
  rule(
    "schema/invalid-type",
    "A field has the wrong type: a list where a mapping is expected, text where a number is expected.",
    "The message names the field, the type it needs and what it got.",
    "retry: { max_attempts: five, initial: 1s }\n",
    "retry: { max_attempts: 5, initial: 1s }\n",
  ),
  rule(
    "schema/invalid-value",
    "A field has a value the language does not allow: a malformed id, duration, cron expression or actor.",
    "Ids are lowercase with `-`; durations are `30s`, `5m`, `8h`, `2d`; owners are `team:`, `role:` or `user:`; cron expressions have 5 fields (or 6 with seconds).",
    'timeout: 30 seconds\ntriggers:\n  - schedule: { cron: "0 25 * * *" }\n',
    'timeout: 30s\ntriggers:\n  - schedule: { cron: "0 6 * * 1-5" }\n',
  ),
  rule(
    "schema/unknown-kind",
    "A step's `kind` is not one of the step kinds.",
    "The kinds are action, ai, decision, approval, task, parallel, wait, workflow and end. The message suggests the closest.",
    "route:\n  kind: decison\n",
    "route:\n  kind: decision\n",
  ),
  rule(
    "defined/duplicate-workflow",
    "Two charters linted together use the same workflow id.",
    "A workflow id names one workflow everywhere: its docs page, its deployed versions, the `workflow` steps that start it. Two files with the same id would overwrite each other. Checked when several charters are linted or documented together.",
    "# a.yaml\nworkflow: invoice-approval\n# b.yaml\nworkflow: invoice-approval\n",
    "# a.yaml\nworkflow: invoice-approval\n# b.yaml\nworkflow: invoice-dispute\n",
  ),
  rule(
    "schema/directory",
    "A directory file does not have the expected shape.",
    "A directory file starts with `directory: 1` and lists role members: `roles: { <role-id>: [user:<id>, ...] }`. A charter points at it with `directory: ./people.yaml` (relative to the charter); `charter lint` checks a directory file given on the command line too.",
    "directory: 1\nroles:\n  finance-manager: fiona\n",
    "directory: 1\nroles:\n  finance-manager: [user:fiona]\n",
  ),
];
