/**
 * docs/rules/: one page per rule id (lint rules and structural checks) and an index, generated from
 * the rule definitions so that the list in the docs is the list in the code.
 */
import { RULE_FAMILIES } from "../definition/lint/rule.js";
import type { Rule } from "../definition/lint/rule.js";
import type { StructuralRule } from "../definition/lint/structural.js";
import type { GeneratedFile } from "../docs/check.js";

const STRUCTURAL_FAMILIES: Record<string, string> = {
  syntax: "The file can be read as one YAML or JSON document.",
  limits: "The file stays within the explicit size, depth and alias limits.",
  schema: "The document has the language's fields, with the right types and values.",
};

const GENERATED = "<!-- Generated from the rule definitions in src/ by `npm run generate`; do not edit. -->";

export function rulePagePath(id: string): string {
  return `docs/rules/${id}.md`;
}

export function renderRulePages(
  rules: readonly Rule[],
  structural: readonly StructuralRule[],
): GeneratedFile[] {
  const pages = [...structural, ...rules].map((rule) => ({
    path: rulePagePath(rule.id),
    content: renderRulePage(rule, structural.includes(rule as StructuralRule)),
  }));
  return [...pages, { path: "docs/rules/README.md", content: renderRuleIndex(rules, structural) }];
}

function renderRulePage(rule: Rule | StructuralRule, isStructural: boolean): string {
  const family = rule.id.split("/")[0]!;
  const exampleNote = isStructural
    ? ""
    : "\nThe examples show top-level fields of a charter; the rest is [this base charter](../../../test/fixtures/charters/example-base.yaml). Both examples are linted by the test suite.\n";
  return [
    GENERATED,
    `# \`${rule.id}\``,
    "",
    `**Severity:** ${rule.severity} · **Family:** [${family}](../README.md#${family})`,
    "",
    rule.summary,
    "",
    "## Why",
    "",
    rule.rationale,
    exampleNote,
    "## Bad",
    "",
    fence(rule.example.bad),
    "",
    "## Good",
    "",
    fence(rule.example.good),
    "",
  ].join("\n");
}

function fence(yaml: string): string {
  const body = yaml.endsWith("\n") ? yaml : `${yaml}\n`;
  return "```yaml\n" + body + "```";
}

function renderRuleIndex(rules: readonly Rule[], structural: readonly StructuralRule[]): string {
  const families: [string, string, readonly (Rule | StructuralRule)[]][] = [
    ...Object.entries(STRUCTURAL_FAMILIES).map(([family, about]): [string, string, StructuralRule[]] => [
      family,
      about,
      structural.filter((r) => r.id.startsWith(`${family}/`)),
    ]),
    ...Object.entries(RULE_FAMILIES).map(([family, about]): [string, string, (Rule | StructuralRule)[]] => [
      family,
      about,
      [...rules, ...structural].filter((r) => r.id.startsWith(`${family}/`)),
    ]),
  ];
  const sections = families
    .filter(([, , list]) => list.length > 0)
    .map(([family, about, list]) =>
      [
        `## ${family}`,
        "",
        about,
        "",
        "| rule | severity | what it refuses |",
        "| --- | --- | --- |",
        ...list.map(
          (r) => `| [\`${r.id}\`](${r.id}.md) | ${r.severity} | ${r.summary.replaceAll("|", "\\|")} |`,
        ),
        "",
      ].join("\n"),
    );
  return [
    GENERATED,
    "# Lint rules",
    "",
    "`charter lint` reports each finding as `file:line:col  severity  message  rule-id`. Errors stop",
    "deployment and make `charter lint` exit 1; warnings do not. The `syntax`, `limits` and `schema`",
    "checks run first, while the file is read; the rule families run on a charter that has been read.",
    "",
    ...sections,
  ].join("\n");
}
