export type { GeneratedFile, StaleDoc, StaleDocsOptions, StaleReason } from "./check.js";
export { describeStaleDoc, findStaleDocs, STALE_REASONS } from "./check.js";
export { canonicalJson, charterHash, SHORT_HASH_LENGTH, shortHash } from "./hash.js";
export type { CharterPageOptions, IndexEntry } from "./markdown.js";
export { renderCharterPage, renderIndexPage } from "./markdown.js";
export { renderMermaid } from "./mermaid.js";
export type { DocsSource } from "./render.js";
export { INDEX_FILE, pageFileName, renderDocs } from "./render.js";
