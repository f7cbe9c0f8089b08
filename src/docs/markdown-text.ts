/**
 * Markdown building blocks that survive any text: a title, a description or an expression written in
 * a charter shows on GitHub as written, and never becomes a link, HTML, math, a heading or a broken
 * table.
 */

/** ASCII punctuation that starts inline Markdown (GitHub flavour, with `$` math and `~` strikes). */
const INLINE_SPECIAL = /[\\`*_[\]<>~&$]/g;

/** One line of plain text, escaped for inline Markdown. Newlines become spaces. */
export function text(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, " ").replace(INLINE_SPECIAL, "\\$&");
}

/** Text at the end of an ATX heading: a trailing `#` run would be read as the closing sequence. */
export function headingText(value: string): string {
  return text(value).replace(/#+$/, "\\$&");
}

/**
 * Plain text that may span lines: paragraphs are kept, and a line break stays a line break. A line
 * that would start a heading, quote, list or rule is escaped at its start.
 */
export function paragraphs(value: string): string {
  return value
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) =>
      paragraph
        .split(/\r?\n/)
        .map((line) => escapeLineStart(text(line.trim())))
        .join("\\\n"),
    )
    .join("\n\n");
}

function escapeLineStart(line: string): string {
  const ordered = /^(\d+)([.)])/.exec(line);
  if (ordered) return `${ordered[1]}\\${line.slice(ordered[1]!.length)}`;
  return /^[#>+=-]/.test(line) ? `\\${line}` : line;
}

/** An inline code span, whatever backticks the value holds. Newlines become spaces. */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  // A span that starts or ends with a backtick (or is only spaces) needs a space of padding.
  const pad = /^`|`$|^ +$/.test(flat) || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block, with a fence longer than any backtick run inside. */
export function fence(value: string, language = ""): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(Math.max(3, longest + 1));
  return `${marks}${language}\n${value.replace(/\n+$/, "")}\n${marks}`;
}

/**
 * A GitHub table. Cells are Markdown already (built with {@link text} and {@link code}); here `|` is
 * escaped (GitHub reads `\|` as a pipe even inside code) and newlines become `<br>`.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(headers), `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

function cell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>") || " ";
}

/** A bullet list of `**Label:** value` lines, skipping values that are undefined. */
export function fields(entries: readonly (readonly [string, string | undefined])[]): string {
  return entries
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([label, value]) => `- **${label}:** ${value}`)
    .join("\n");
}

/** "a, b and c". */
export function list(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
