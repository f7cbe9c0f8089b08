/**
 * The README's tour shows the exact lines `charter lint` prints for two mistakes in the invoice
 * example. This test makes those mistakes and checks the README still tells the truth.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "./helpers/cli.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const invoice = readFileSync(new URL("../examples/invoice-approval.yaml", import.meta.url), "utf8");
const directory = readFileSync(new URL("../examples/directory.yaml", import.meta.url), "utf8");

/** Remove the first line matching `line` after the line that starts `step`. */
function withoutFieldOf(text: string, step: string, field: RegExp): string {
  const lines = text.split("\n");
  const at = lines.indexOf(step);
  const offset = lines.slice(at).findIndex((line) => field.test(line));
  lines.splice(at + offset, 1);
  return lines.join("\n");
}

function replaceFieldOf(text: string, step: string, field: RegExp, replacement: string): string {
  const lines = text.split("\n");
  const at = lines.indexOf(step);
  const offset = lines.slice(at).findIndex((line) => field.test(line));
  lines[at + offset] = replacement;
  return lines.join("\n");
}

async function lintMutated(text: string): Promise<string[]> {
  const dir = tempProject({ "examples/invoice-approval.yaml": text, "examples/directory.yaml": directory });
  const run = await runCli(["lint", "examples/invoice-approval.yaml"], dir);
  return run.stdout.split("\n").filter((line) => line.startsWith("examples/"));
}

const shownLines = readme.split("\n").filter((line) => line.startsWith("examples/invoice-approval.yaml:"));

describe("the README tour", () => {
  it("shows what lint prints when match-po has no timeout", async () => {
    const lines = await lintMutated(withoutFieldOf(invoice, "  match-po:", /^ {4}timeout:/));
    expect(lines).toEqual(shownLines.filter((line) => line.includes("exceptions/action-timeout")));
  });

  it("shows what lint prints when the AI step goes straight to the payment", async () => {
    const lines = await lintMutated(
      replaceFieldOf(invoice, "  extract:", /^ {4}next:/, "    next: schedule-payment"),
    );
    expect(lines).toEqual(shownLines.filter((line) => /ungated-irreversible/.test(line)));
    expect(lines).toHaveLength(2);
  });
});
