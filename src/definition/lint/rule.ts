/**
 * A lint rule: a stable id, a severity, the docs that explain it, and a check over the charter.
 * Rules are pure: they read the charter and its graph and report findings by value path; positions
 * are added once, afterwards, from the source map.
 */
import type { Finding, Severity, ValuePath } from "../diagnostic.js";
import type { ExpressionSite } from "../expressions.js";
import type { CharterGraph } from "../graph.js";
import type { ResolvedDefinitionLimits } from "../limits.js";
import type { Charter } from "../schema.js";

export const RULE_FAMILIES = {
  defined: "The workflow is fully defined: triggers, input, owners, success, and no dangling reference.",
  "ai-authority":
    "AI proposes, rules and people decide: no AI output reaches an irreversible action or success ungated.",
  exceptions: "Every failure and every late human has somewhere to go.",
  oversight:
    "People are in control where it matters: assignees, separation of duties, gated irreversible actions.",
  scale: "The workflow survives volume and retries: bounded fan-out, idempotent side effects.",
  expression: "Expressions compile and stay within their limits.",
} as const;
export type RuleFamily = keyof typeof RULE_FAMILIES;

/** A role directory: who holds each role (from `roles.<id>.members` or a directory file). */
export interface Directory {
  readonly roles: Readonly<Record<string, readonly string[]>>;
}

export interface LintOptions {
  /** Handler names the project registers; `defined/unknown-handler` runs only when this is given. */
  readonly handlers?: readonly string[];
  /** Charters linted together, by workflow id: `workflow` steps are checked against their child. */
  readonly workflows?: ReadonlyMap<string, Charter>;
  /** Role members from the charter's directory file, when it has one. */
  readonly directory?: Directory;
  readonly limits?: ResolvedDefinitionLimits;
}

export interface RuleContext {
  readonly charter: Charter;
  readonly graph: CharterGraph;
  /** Every expression in the charter, with the names its scope allows (compiled once per lint). */
  readonly expressions: readonly ExpressionSite[];
  readonly options: LintOptions;
  readonly limits: ResolvedDefinitionLimits;
  report(finding: { message: string; path: ValuePath; atKey?: boolean; offset?: number }): void;
}

export interface RuleExample {
  /** YAML of top-level fields that replace those of a minimal valid charter (docs/rules show it). */
  readonly bad: string;
  readonly good: string;
  /** Lint options both examples are checked with (registered handlers, charters linted together). */
  readonly options?: LintOptions;
}

export interface Rule {
  /** `family/name`, stable forever: users suppress and search by it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line, shown in the rule index. */
  readonly summary: string;
  /** Why the rule exists and how to satisfy it; a paragraph of Markdown for the rule's page. */
  readonly rationale: string;
  readonly example: RuleExample;
  check(context: RuleContext): void;
}

export type RuleFinding = Finding;
