/**
 * A string that matches a simple regular expression, for the offline provider's typed defaults:
 * literals, escapes (`\d`, `\w`, `\.`), character classes (`[A-Z0-9-]`), groups without
 * alternation, and the quantifiers `?`, `*`, `+`, `{n}`, `{n,m}`. Each repeat takes its minimum
 * (one for `+`). Returns undefined for what it cannot handle (alternation, look-arounds); the caller
 * falls back to another candidate, and the output is validated against the schema anyway.
 */

type Atom = { readonly sample: string; readonly next: number } | undefined;

export function samplePattern(pattern: string): string | undefined {
  const source = pattern.replace(/^\^/, "").replace(/(?<!\\)\$$/, "");
  if (/(?<!\\)\|/.test(source) || /\(\?[=!<]/.test(source)) return undefined;
  try {
    const result = sequence(source, 0, false);
    if (!result || result.next !== source.length) return undefined;
    return new RegExp(pattern, "u").test(result.sample) ? result.sample : undefined;
  } catch {
    // An invalid or unsupported pattern simply has no sample: the caller uses another default.
    return undefined;
  }
}

function sequence(source: string, start: number, inGroup: boolean): Atom {
  let out = "";
  let i = start;
  while (i < source.length) {
    if (source[i] === ")") return inGroup ? { sample: out, next: i } : undefined;
    const atom = readAtom(source, i);
    if (!atom) return undefined;
    const repeat = readQuantifier(source, atom.next);
    out += atom.sample.repeat(repeat.min);
    i = repeat.next;
  }
  return inGroup ? undefined : { sample: out, next: i };
}

function readAtom(source: string, i: number): Atom {
  const char = source[i]!;
  if (char === "\\") return escaped(source[i + 1], i + 2);
  if (char === "[") return charClass(source, i);
  if (char === "(") {
    const body = source.startsWith("(?:", i) ? i + 3 : i + 1;
    const inner = sequence(source, body, true);
    return inner ? { sample: inner.sample, next: inner.next + 1 } : undefined;
  }
  if (char === ".") return { sample: "a", next: i + 1 };
  if ("*+?{}^$".includes(char)) return undefined;
  return { sample: char, next: i + 1 };
}

function escaped(char: string | undefined, next: number): Atom {
  if (char === undefined) return undefined;
  const classes: Record<string, string> = { d: "0", w: "a", s: " ", D: "a", W: "-", S: "a" };
  return { sample: classes[char] ?? char, next };
}

/** The first character a class allows: the start of its first range or its first literal. */
function charClass(source: string, start: number): Atom {
  const end = source.indexOf("]", start + 2);
  if (end < 0 || source[start + 1] === "^") return undefined;
  const body = source.slice(start + 1, end);
  const first = body[0] === "\\" ? escaped(body[1], 0)?.sample : body[0];
  return first === undefined ? undefined : { sample: first, next: end + 1 };
}

function readQuantifier(source: string, i: number): { min: number; next: number } {
  const char = source[i];
  const lazy = (next: number) => (source[next] === "?" ? next + 1 : next);
  if (char === "?" || char === "*") return { min: 0, next: lazy(i + 1) };
  if (char === "+") return { min: 1, next: lazy(i + 1) };
  if (char === "{") {
    const match = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
    if (match) return { min: Number(match[1]), next: lazy(i + match[0].length) };
  }
  return { min: 1, next: i };
}
