/**
 * Where character `offset` of a scalar's decoded value is in its source text. Folding, indentation,
 * quotes and escapes change the text between the two, but never the order of the characters that
 * are not whitespace: so both are walked counting those, with an escape (`\t`, `\u00e9`, `''`)
 * counting as the one character it decodes to.
 */
export type ScalarStyle = "plain" | "single" | "double" | "block";

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

const isSpace = (char: string) => /\s/.test(char);

/** Index into `raw` (the scalar's source, quotes and block header excluded) of decoded[offset]. */
export function rawOffset(raw: string, decoded: string, offset: number, style: ScalarStyle): number {
  let wanted = 0;
  for (let i = 0; i < Math.min(offset, decoded.length); i++) if (!isSpace(decoded[i]!)) wanted++;
  let seen = 0;
  for (let i = 0; i < raw.length;) {
    const { width, char } = unitAt(raw, i, style);
    if (!isSpace(char)) {
      if (seen === wanted) return i;
      seen++;
    }
    i += width;
  }
  return raw.length;
}

/** The source characters at `i` that make one decoded character, and that character. */
function unitAt(raw: string, i: number, style: ScalarStyle): { width: number; char: string } {
  const c = raw[i]!;
  if (style === "single" && c === "'" && raw[i + 1] === "'") return { width: 2, char: "'" };
  if (style !== "double" || c !== "\\") return { width: 1, char: c };
  const next = raw[i + 1] ?? "";
  const hexLength = HEX_ESCAPE_LENGTH[next];
  if (hexLength !== undefined) {
    const code = Number.parseInt(raw.slice(i + 2, i + 2 + hexLength), 16);
    return { width: 2 + hexLength, char: Number.isNaN(code) ? "?" : String.fromCodePoint(code) };
  }
  // An escaped line break joins lines: it decodes to nothing, like whitespace.
  if (next === "\n" || next === "\r") return { width: 2, char: " " };
  return { width: 2, char: SIMPLE_ESCAPES[next] ?? next };
}
