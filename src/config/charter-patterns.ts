/**
 * The config's `charters` entries: files, folders, or patterns with `*` and `?` (within one path
 * segment) and `**` (any number of folders). Node 20 has no fs.glob, and this is all a config needs.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** Absolute patterns -> the files and folders they match, sorted, each once. */
export async function expandCharterPatterns(patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) {
      found.add(pattern);
      continue;
    }
    const { root, segments } = splitPattern(pattern);
    for (const match of await matchSegments(root, segments)) found.add(match);
  }
  return [...found];
}

function splitPattern(pattern: string): { root: string; segments: string[] } {
  const parts = path.normalize(pattern).split(path.sep);
  const first = parts.findIndex((part) => /[*?]/.test(part));
  const root = parts.slice(0, first).join(path.sep) || path.sep;
  return { root, segments: parts.slice(first) };
}

async function matchSegments(dir: string, segments: readonly string[]): Promise<string[]> {
  if (segments.length === 0) return [dir];
  const [segment, ...rest] = segments as [string, ...string[]];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.map((e) => e.name).sort();
  if (segment === "**") {
    // `**` matches this folder and every folder below it (hidden folders excepted).
    const here = await matchSegments(dir, rest);
    const below: string[] = [];
    for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).sort(byName)) {
      below.push(...(await matchSegments(path.join(dir, entry.name), segments)));
    }
    return [...here, ...below];
  }
  const regex = segmentRegex(segment);
  const matches: string[] = [];
  for (const name of names.filter((n) => regex.test(n))) {
    const next = path.join(dir, name);
    if (rest.length > 0 && !(await isDirectory(next))) continue;
    matches.push(...(await matchSegments(next, rest)));
  }
  return matches;
}

function segmentRegex(segment: string): RegExp {
  const body = segment
    .split("")
    .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  // Like shells, a wildcard does not match a leading dot unless the pattern has one.
  return new RegExp(`^${segment.startsWith(".") ? "" : "(?!\\.)"}${body}$`);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false; // a broken link or a file removed meanwhile: not a folder to descend into
  }
}
