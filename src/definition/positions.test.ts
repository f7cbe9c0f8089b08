/**
 * A finding inside an expression points at the exact character, whatever the YAML style the
 * expression is written in, and whichever reader placed it (the fast event map, or the `yaml`
 * document that texts with anchors go through).
 */
import { describe, expect, it } from "vitest";
import { lintText, MINIMAL_YAML } from "../../test/helpers/charters.js";

/** The minimal charter with the action's input written as `value` (YAML text after `input:`). */
function withInput(value: string, anchor = false): string {
  const charter = MINIMAL_YAML.replace(
    "    handler: requests.check\n",
    `    handler: requests.check\n    input: ${value}\n`,
  );
  // An anchor anywhere sends the text through the full `yaml` reader.
  return anchor ? charter.replace("  schema:\n", "  schema: &schema\n") : charter;
}

/** Line and column of the first `inptu` in the text, 1-based. */
function where(text: string): { line: number; col: number } {
  const at = text.indexOf("inptu");
  const before = text.slice(0, at);
  return { line: before.split("\n").length, col: at - before.lastIndexOf("\n") };
}

const styles: [string, string][] = [
  ["plain", "input.amount + inptu.amount"],
  ["plain on several lines", "input.amount +\n      input.amount +\n      inptu.amount"],
  ["double-quoted with escapes", '"\\t input.requestId & \\"-\\u0041\\" & inptu.amount"'],
  ["single-quoted with a doubled quote", "'input.requestId & ''-'' & inptu.amount'"],
  ["folded", ">-\n      input.amount +\n        input.amount +\n      inptu.amount"],
  ["literal with a comment after the header", "| # the input\n      input.amount\n      + inptu.amount"],
];

describe.each([false, true])("expression positions (through the yaml document: %s)", (anchor) => {
  it.each(styles)("point at the unknown name in a %s expression", (_style, value) => {
    const text = withInput(value, anchor);
    const finding = lintText(text).find((d) => d.ruleId === "defined/unknown-reference");
    expect(finding && { line: finding.line, col: finding.col }).toEqual(where(text));
  });
});
