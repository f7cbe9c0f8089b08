/**
 * lintCharter: run every rule over a validated charter. Rules report by value path; this module
 * places the findings in the source and orders them.
 */
import type { Diagnostic, Finding } from "../diagnostic.js";
import { collectExpressionSites } from "../expressions.js";
import { buildGraph } from "../graph.js";
import { resolveDefinitionLimits } from "../limits.js";
import type { LoadedCharter } from "../load.js";
import { placeFindings } from "../load.js";
import type { Charter } from "../schema.js";
import type { LintOptions, Rule, RuleContext } from "./rule.js";
import { ALL_RULES } from "./rules/index.js";

export function lintCharter(
  charter: Charter,
  options: LintOptions = {},
  rules: readonly Rule[] = ALL_RULES,
): Finding[] {
  const limits = options.limits ?? resolveDefinitionLimits();
  const stepCount = Object.keys(charter.steps).length;
  if (stepCount > limits.maxSteps) {
    return [
      {
        ruleId: "limits/steps",
        severity: "error",
        message: `charter has ${stepCount} steps; the limit is ${limits.maxSteps} (option maxSteps). Split it into workflows that call each other.`,
        path: ["steps"],
        atKey: true,
      },
    ];
  }
  const graph = buildGraph(charter);
  const expressions = collectExpressionSites(charter);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const context: RuleContext = {
      charter,
      graph,
      expressions,
      options,
      limits,
      report: (finding) => findings.push({ ...finding, ruleId: rule.id, severity: rule.severity }),
    };
    rule.check(context);
  }
  return findings;
}

/** Lint a loaded charter and return its schema and lint diagnostics together, in source order. */
export function lintLoadedCharter(loaded: LoadedCharter, options: LintOptions = {}): Diagnostic[] {
  if (!loaded.charter) return loaded.diagnostics;
  const findings = lintCharter(loaded.charter, options);
  return [...loaded.diagnostics, ...placeFindings(findings, loaded.file, loaded.source)];
}
