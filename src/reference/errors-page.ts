/** docs/errors.md, generated from the error code table in src/errors.ts. */
import { ERROR_CODES } from "../errors.js";
import type { GeneratedFile } from "../docs/check.js";

export function renderErrorsPage(): GeneratedFile {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, description]) => `| \`${code}\` | ${description.replaceAll("|", "\\|")} |`,
  );
  const content = [
    "<!-- Generated from ERROR_CODES in src/errors.ts by `npm run generate`; do not edit. -->",
    "# Error codes",
    "",
    "Every error Charter throws is a `CharterError` with a stable `code`. Check it with",
    '`isCharterError(error) && error.code === "..."`, never by message text. Step errors (a',
    "handler's or the engine's, such as `TIMEOUT`) are the codes `on_error` routes on. The CLI prints",
    "the code in brackets after the message and exits 1 for findings and refusals (lint errors, stale",
    "docs, `FORBIDDEN`, `CONFLICT`, `INPUT_INVALID`, a broken audit chain) and 2 for usage, file and",
    "not-found errors; see [the CLI](cli.md).",
    "",
    "| code | meaning |",
    "| --- | --- |",
    ...rows,
    "",
  ].join("\n");
  return { path: "docs/errors.md", content };
}
