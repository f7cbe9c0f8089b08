/**
 * Charter text (YAML, or JSON, which YAML 1.2 reads too) -> a plain value plus a source map, so
 * that every later finding can be reported at `file:line:col`.
 *
 * Two readers, one meaning. js-yaml (YAML 1.2 core schema) gives the value of every charter, and
 * its parse events the source map, built only when a finding must be placed: it is about ten times
 * faster than the `yaml` package, which matters for large charters. The `yaml` package gives the
 * diagnostics of a text js-yaml refuses (all syntax errors and duplicate keys at once), and the
 * alias-expansion limit for texts with anchors. A text js-yaml reads always takes its value from js-yaml; only a text it
 * refuses and the `yaml` package accepts (a tab inside a flow collection) takes the latter's.
 */
import { CORE_SCHEMA, load } from "js-yaml";
import type { ValuePath } from "./diagnostic.js";
import type { ResolvedDefinitionLimits } from "./limits.js";
import { measureNesting } from "./nesting.js";
import { isCyclic } from "./value-guard.js";
import { eventSourceMap } from "./event-source-map.js";
import { readYamlDocument } from "./yaml-document.js";

export interface SourcePosition {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** Where things are in a charter's text. */
export interface SourceMap {
  locate(path: ValuePath, options?: { atKey?: boolean; offset?: number }): SourcePosition | undefined;
  /** The position of a character offset in the text (syntax errors have an offset, not a path). */
  locateOffset(offset: number): SourcePosition | undefined;
}

export interface ParsedText {
  /** The document as plain data, or undefined when the text could not be read as one document. */
  value: unknown;
  source: SourceMap;
  syntaxFindings: { ruleId: string; message: string; offset: number }[];
}

export const NO_SOURCE: SourceMap = { locate: () => undefined, locateOffset: () => undefined };

/** Line and column of an offset, by counting newlines: for texts the YAML parser never saw. */
export function textSourceMap(text: string): SourceMap {
  return {
    locate: () => undefined,
    locateOffset(offset) {
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      const col = offset - before.lastIndexOf("\n");
      return { line, col, endLine: line, endCol: col };
    },
  };
}

export function parseCharterText(input: string | Uint8Array, limits: ResolvedDefinitionLimits): ParsedText {
  const bytes = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  const fail = (ruleId: string, message: string, offset = 0, source = textSourceMap("")): ParsedText => ({
    value: undefined,
    source,
    syntaxFindings: [{ ruleId, message, offset }],
  });
  if (bytes > limits.maxBytes) return fail("limits/file-size", fileSizeMessage(bytes, limits.maxBytes));
  const text = decodeText(input);
  if (text === undefined) {
    return fail("syntax/not-text", "file is not UTF-8 text; a charter is a YAML or JSON text file");
  }
  const nesting = measureNesting(text, limits.maxDepth);
  if (nesting.exceeded) {
    return fail(
      "limits/depth",
      `nesting is deeper than ${limits.maxDepth} levels (option maxDepth); a charter needs about 10`,
      nesting.offset,
      textSourceMap(text),
    );
  }
  return parseYaml(text, limits);
}

/** Also used by callers that see a file's size before reading it, so they need not read it at all. */
export function fileSizeMessage(bytes: number, maxBytes: number): string {
  return `file is ${bytes} bytes; the limit is ${maxBytes} (option maxBytes). A charter is usually under 100 kB.`;
}

function decodeText(input: string | Uint8Array): string | undefined {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      return undefined;
    }
  }
  // NUL never appears in a text file; other control characters are left to the YAML parser's errors.
  if (text.includes("\u0000")) return undefined;
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

function parseYaml(text: string, limits: ResolvedDefinitionLimits): ParsedText {
  const fast = readValue(text);
  if (fast.ok && fast.value !== undefined && !ANCHOR.test(text)) {
    return { value: fast.value, source: lazySourceMap(text), syntaxFindings: [] };
  }
  // Refused, empty, or with anchors: the full reading reports the problems, or enforces maxAliases.
  const full = readYamlDocument(text, limits);
  if (full.syntaxFindings.length > 0 || full.value === undefined) return full;
  // js-yaml refused a text the full reader accepts (it is stricter about tabs inside flow
  // collections, and refuses unknown tags): the full reader's value is the only one there is.
  // Anchors can tie a node to itself, which no reader refuses: check before anything walks it.
  const value = fast.ok ? fast.value : full.value;
  if (isCyclic(value)) {
    const message =
      "a YAML alias refers to a node that contains it (`a: &a [*a]`): the value would be infinite";
    return { ...full, value: undefined, syntaxFindings: [{ ruleId: "limits/aliases", message, offset: 0 }] };
  }
  return { ...full, value };
}

/** An anchor (`&name`) where a YAML node may start; a false match only costs the slower reading. */
const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/m;

type FastRead = { ok: true; value: unknown } | { ok: false };

function readValue(text: string): FastRead {
  try {
    return { ok: true, value: load(text, { schema: CORE_SCHEMA }) };
  } catch {
    // Any refusal (syntax, duplicate key, several documents): the full reader says what is wrong.
    return { ok: false };
  }
}

function lazySourceMap(text: string): SourceMap {
  let map: SourceMap | undefined;
  const get = () => (map ??= eventSourceMap(text));
  return {
    locate: (path, options) => get().locate(path, options),
    locateOffset: (offset) => get().locateOffset(offset),
  };
}
