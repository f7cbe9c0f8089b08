/**
 * Charter text (YAML, or JSON, which YAML 1.2 reads too) -> a plain value plus a source map, so
 * that every later finding can be reported at `file:line:col`.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node, Pair, YAMLMap } from "yaml";
import type { Finding, ValuePath } from "./diagnostic.js";
import type { ResolvedDefinitionLimits } from "./limits.js";
import { measureNesting } from "./nesting.js";

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
  /** Findings placed by path, or (for syntax errors that have no path) by absolute offset. */
  findings: Finding[];
  syntaxFindings: { ruleId: string; message: string; offset: number }[];
}

export const NO_SOURCE: SourceMap = { locate: () => undefined, locateOffset: () => undefined };

/** Line and column of an offset, by counting newlines: for texts the YAML parser never saw. */
function textSourceMap(text: string): SourceMap {
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
    findings: [],
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
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "silent",
  });
  const docs = Array.isArray(documents) ? documents : [documents];
  const syntaxFindings: ParsedText["syntaxFindings"] = [];
  const source = createSourceMap(docs[0], lineCounter, text);
  if (docs.length === 0) {
    return {
      value: undefined,
      source,
      findings: [],
      syntaxFindings: [
        { ruleId: "syntax/empty", message: "file is empty; a charter starts with `charter: 1`", offset: 0 },
      ],
    };
  }
  if (docs.length > 1) {
    const second = docs[1]?.range[0] ?? 0;
    syntaxFindings.push({
      ruleId: "syntax/multiple-documents",
      message: "file holds more than one YAML document (`---`); put one charter in each file",
      offset: second,
    });
  }
  const doc = docs[0]!;
  for (const error of doc.errors) {
    if (error.code === "DUPLICATE_KEY") {
      const key = keyAt(text, error.pos[0]);
      syntaxFindings.push({
        ruleId: "syntax/duplicate-key",
        message: `duplicate field ${JSON.stringify(key)}: each field may appear once in a mapping`,
        offset: error.pos[0],
      });
    } else {
      syntaxFindings.push({
        ruleId: "syntax/yaml",
        message: describeYamlError(error.message),
        offset: error.pos[0],
      });
    }
  }
  // A duplicate key still leaves a readable document: go on, so that its other errors show too.
  const fatal = syntaxFindings.some((f) => f.ruleId !== "syntax/duplicate-key");
  if (fatal) return { value: undefined, source, findings: [], syntaxFindings };

  const keyFindings = findNonStringKeys(doc);
  if (keyFindings.length > 0) return { value: undefined, source, findings: [], syntaxFindings: keyFindings };
  try {
    const value: unknown = doc.toJS({ maxAliasCount: limits.maxAliases });
    return { value, source, findings: [], syntaxFindings };
  } catch (error) {
    // yaml throws a ReferenceError when alias expansion passes maxAliasCount ("billion laughs").
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      return {
        value: undefined,
        source,
        findings: [],
        syntaxFindings: [
          {
            ruleId: "limits/aliases",
            message: `YAML aliases expand more than ${limits.maxAliases} times (option maxAliases); write the values out`,
            offset: 0,
          },
        ],
      };
    }
    return {
      value: undefined,
      source,
      findings: [],
      syntaxFindings: [{ ruleId: "syntax/yaml", message, offset: 0 }],
    };
  }
}

function describeYamlError(message: string): string {
  const firstLine = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return firstLine.charAt(0).toLowerCase() + firstLine.slice(1);
}

/** The key written at `offset` (for a duplicate-key message), without its quotes. */
function keyAt(text: string, offset: number): string {
  const match = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]*?)\s*:/.exec(text.slice(offset, offset + 200));
  return (match?.[1] ?? "").replace(/^["']|["']$/g, "");
}

/** Keys must be plain strings: `? [a, b]: x` or `1: x` are not field names in a charter. */
function findNonStringKeys(doc: Document): ParsedText["syntaxFindings"] {
  const findings: ParsedText["syntaxFindings"] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0 && findings.length < 20) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (
          !isScalar(pair.key) ||
          (typeof pair.key.value !== "string" && typeof pair.key.value !== "number")
        ) {
          const offset = (pair.key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
          findings.push({
            ruleId: "syntax/yaml",
            message: "a key must be a plain name, not a collection",
            offset,
          });
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return findings;
}

function createSourceMap(doc: Document | undefined, lineCounter: LineCounter, text: string): SourceMap {
  if (!doc) return textSourceMap(text);
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairIndex = (map: YAMLMap): Map<string, Pair> => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) if (isScalar(pair.key)) index.set(String(pair.key.value), pair as Pair);
      indexes.set(map, index);
    }
    return index;
  };
  const toPosition = (start: number, end: number): SourcePosition => {
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.max(start, end));
    return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
  };

  return {
    locateOffset: (offset) => toPosition(offset, offset),
    locate(path, options = {}) {
      let node: unknown = doc.contents;
      let keyNode: Node | undefined;
      let last: Node | undefined = isNodeWithRange(node) ? node : undefined;
      for (const segment of path) {
        if (isAlias(node)) break;
        if (isMap(node)) {
          const pair = pairIndex(node).get(String(segment));
          if (!pair) break;
          keyNode = pair.key as Node;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
          keyNode = undefined;
          node = node.items[segment];
        } else {
          break;
        }
        if (isNodeWithRange(node)) last = node;
        else if (keyNode) last = keyNode; // a key with an empty value: point at the key
      }
      const target = options.atKey && keyNode ? keyNode : last;
      if (!target?.range) return undefined;
      const [start, valueEnd] = target.range;
      if (options.offset !== undefined && isScalar(target)) {
        const at = scalarOffset(text, target, options.offset);
        return toPosition(at, at);
      }
      return toPosition(start, valueEnd);
    },
  };
}

function isNodeWithRange(node: unknown): node is Node {
  return (isMap(node) || isSeq(node) || isScalar(node) || isAlias(node)) && Boolean((node as Node).range);
}

/** Where character `offset` of a scalar's value is in the text, for the common scalar styles. */
function scalarOffset(text: string, scalar: Node, offset: number): number {
  const [start, end] = scalar.range!;
  const type = isScalar(scalar) ? scalar.type : undefined;
  if (type === "PLAIN") return start + offset;
  if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") {
    // Exact unless the string holds escapes before `offset`; close enough to find the spot.
    return Math.min(start + 1 + offset, end);
  }
  // Block scalars (| and >): the value starts on the line after the header, indented.
  const value = isScalar(scalar) ? String(scalar.value) : "";
  const before = value.slice(0, offset);
  const lineIndex = before.split("\n").length - 1;
  const colInLine = before.length - (before.lastIndexOf("\n") + 1);
  const lines = text.slice(start, end).split("\n");
  let at = start;
  for (let i = 0; i <= lineIndex && i + 1 < lines.length; i++) at += lines[i]!.length + 1;
  const contentLine = lines[lineIndex + 1] ?? "";
  const indent = contentLine.length - contentLine.trimStart().length;
  return Math.min(at + indent + colInLine, end);
}
