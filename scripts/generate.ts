/**
 * Writes every generated reference file (JSON Schemas, rule pages, error codes, the field tables of
 * docs/language.md, the help in docs/cli.md), or with --check
 * fails when a committed one differs from what the code generates now.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { charterJsonSchema, directoryJsonSchema } from "../src/definition/json-schema.js";
import { ALL_RULES } from "../src/definition/lint/rules/index.js";
import { STRUCTURAL_RULES } from "../src/definition/lint/structural.js";
import type { GeneratedFile } from "../src/docs/check.js";
import { renderCliHelp } from "../src/reference/cli-help.js";
import { renderErrorsPage } from "../src/reference/errors-page.js";
import { renderLanguageFields, replaceBetweenMarkers } from "../src/reference/language-fields.js";
import { renderRulePages } from "../src/reference/rule-pages.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

const files: GeneratedFile[] = [
  { path: "schema/charter.schema.json", content: JSON.stringify(charterJsonSchema(), null, 2) + "\n" },
  { path: "schema/directory.schema.json", content: JSON.stringify(directoryJsonSchema(), null, 2) + "\n" },
  ...renderRulePages(ALL_RULES, STRUCTURAL_RULES),
  renderErrorsPage(),
  {
    path: "docs/language.md",
    content: replaceBetweenMarkers(
      readFileSync(path.join(root, "docs/language.md"), "utf8"),
      "fields",
      renderLanguageFields(),
    ),
  },
  {
    path: "docs/cli.md",
    content: replaceBetweenMarkers(
      readFileSync(path.join(root, "docs/cli.md"), "utf8"),
      "help",
      await renderCliHelp(),
    ),
  },
];

const stale = files.filter((file) => {
  const absolute = path.join(root, file.path);
  let current: string | undefined;
  try {
    current = readFileSync(absolute, "utf8");
  } catch {
    current = undefined;
  }
  if (current === file.content) return false;
  if (!check) {
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, file.content);
  }
  return true;
});

// A page for a rule that no longer exists is stale too.
const generated = new Set(files.map((file) => file.path));
const orphans = (readdirSync(path.join(root, "docs/rules"), { recursive: true }) as string[])
  .map((name) => path.posix.join("docs/rules", name.split(path.sep).join("/")))
  .filter((name) => name.endsWith(".md") && !generated.has(name));
if (!check) for (const orphan of orphans) rmSync(path.join(root, orphan));

if (check && stale.length + orphans.length > 0) {
  for (const file of stale) console.error(`stale: ${file.path} (run npm run generate)`);
  for (const orphan of orphans) console.error(`stale: ${orphan} documents no rule (run npm run generate)`);
  process.exitCode = 1;
} else {
  console.log(
    check
      ? `${files.length} generated files are current`
      : `${stale.length} of ${files.length} generated files written`,
  );
}
