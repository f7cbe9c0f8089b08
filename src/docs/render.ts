/**
 * All the docs of a set of charters: one page per charter and an index. Pure: the CLI reads the
 * charters and writes (or, with `--check`, compares) the files.
 */
import type { Charter } from "../definition/schema.js";
import { CharterError } from "../errors.js";
import type { GeneratedFile } from "./check.js";
import { charterHash } from "./hash.js";
import { renderCharterPage, renderIndexPage } from "./markdown.js";

export const INDEX_FILE = "README.md";

export interface DocsSource {
  readonly charter: Charter;
  /** The source file as the pages should name it: relative, with `/`. */
  readonly file: string;
  /** A link from the output directory to the source file, when the caller can compute one. */
  readonly sourceHref?: string;
}

/** The page of a charter, relative to the output directory. */
export function pageFileName(charter: Charter): string {
  return `${charter.workflow}.md`;
}

/**
 * Pages in workflow order, then the index. Throws `USAGE` when two charters share a workflow id (their
 * pages would overwrite each other) or one would collide with the index on a case-insensitive disk.
 */
export function renderDocs(sources: readonly DocsSource[]): GeneratedFile[] {
  checkPageNames(sources);
  const entries = sources
    .map((source) => ({ ...source, hash: charterHash(source.charter), page: pageFileName(source.charter) }))
    .sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0));
  const pages = entries.map((entry) => ({
    path: entry.page,
    content: renderCharterPage(entry.charter, {
      file: entry.file,
      hash: entry.hash,
      ...(entry.sourceHref === undefined ? {} : { sourceHref: entry.sourceHref }),
    }),
  }));
  return [...pages, { path: INDEX_FILE, content: renderIndexPage(entries) }];
}

function checkPageNames(sources: readonly DocsSource[]): void {
  const seen = new Map<string, string>();
  for (const { charter, file } of sources) {
    const page = pageFileName(charter).toLowerCase();
    if (page === INDEX_FILE.toLowerCase())
      throw new CharterError(
        "USAGE",
        `${file}: workflow id "${charter.workflow}" would write its page over the index ${INDEX_FILE}; choose another workflow id`,
        { details: { file, workflow: charter.workflow } },
      );
    const other = seen.get(page);
    if (other !== undefined)
      throw new CharterError(
        "USAGE",
        `${file}: workflow id "${charter.workflow}" is also the id of ${other}; each charter needs its own workflow id`,
        { details: { files: [other, file], workflow: charter.workflow } },
      );
    seen.set(page, file);
  }
}
