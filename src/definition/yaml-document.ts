/**
 * The full YAML reading, with the `yaml` package: exact positions for every node, every syntax
 * error of a file at once, duplicate keys, and the alias-expansion limit. parse.ts uses it for the
 * texts the fast reader refuses and for texts with anchors.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node, Pair, YAMLMap } from "yaml";
import type { ResolvedDefinitionLimits } from "./limits.js";
import type { ParsedText, SourceMap, SourcePosition } from "./parse.js";
import { textSourceMap } from "./parse.js";
import { rawOffset } from "./scalar-offset.js";

function parseDocuments(text: string): { docs: Document[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    // Duplicate keys are found by checkKeys in one pass: yaml's own check is quadratic per mapping.
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: "silent",
  });
  return { docs: Array.isArray(documents) ? documents : [documents], lineCounter };
}

/** Read a text with every check the `yaml` package can make; the value is the fallback reading. */
export function readYamlDocument(text: string, limits: ResolvedDefinitionLimits): ParsedText {
  const { docs, lineCounter } = parseDocuments(text);
  const syntaxFindings: ParsedText["syntaxFindings"] = [];
  const source = createSourceMap(docs[0], lineCounter, text);
  if (docs.length === 0) {
    return {
      value: undefined,
      source,
      syntaxFindings: [
        { ruleId: "syntax/empty", message: "file is empty; a charter starts with `charter: 1`", offset: 0 },
      ],
    };
  }
  if (docs.length > 1) {
    const second = docs[1]?.range?.[0] ?? 0;
    syntaxFindings.push({
      ruleId: "syntax/multiple-documents",
      message: "file holds more than one YAML document (`---`); put one charter in each file",
      offset: second,
    });
  }
  const doc = docs[0]!;
  for (const error of doc.errors) {
    syntaxFindings.push({
      ruleId: "syntax/yaml",
      message: describeYamlError(error.message),
      offset: error.pos[0],
    });
  }
  if (syntaxFindings.length > 0) return { value: undefined, source, syntaxFindings };

  const keys = checkKeys(doc);
  if (keys.collectionKeys.length > 0) {
    return { value: undefined, source, syntaxFindings: keys.collectionKeys };
  }
  // A duplicate key still leaves a readable document: go on, so that its other errors show too.
  syntaxFindings.push(...keys.duplicates);
  try {
    const value: unknown = doc.toJS({ maxAliasCount: limits.maxAliases });
    return { value, source, syntaxFindings };
  } catch (error) {
    // yaml throws a ReferenceError when alias expansion passes maxAliasCount ("billion laughs").
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      return {
        value: undefined,
        source,
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
      syntaxFindings: [{ ruleId: "syntax/yaml", message, offset: 0 }],
    };
  }
}

function describeYamlError(message: string): string {
  const firstLine = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return firstLine.charAt(0).toLowerCase() + firstLine.slice(1);
}

/** At most this many key findings: one broken file should not print thousands of lines. */
const MAX_KEY_FINDINGS = 100;

/**
 * Keys must be plain names (`? [a, b]: x` is not a field name) and appear once per mapping. One pass
 * over the document, with a set per mapping.
 */
function checkKeys(doc: Document): {
  collectionKeys: ParsedText["syntaxFindings"];
  duplicates: ParsedText["syntaxFindings"];
} {
  const collectionKeys: ParsedText["syntaxFindings"] = [];
  const duplicates: ParsedText["syntaxFindings"] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0 && collectionKeys.length + duplicates.length < MAX_KEY_FINDINGS) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const offset = key?.range?.[0] ?? node.range?.[0] ?? 0;
        if (!isScalar(key) || (typeof key.value !== "string" && typeof key.value !== "number")) {
          collectionKeys.push({
            ruleId: "syntax/yaml",
            message: "a key must be a plain name, not a collection",
            offset,
          });
        } else if (seen.has(String(key.value))) {
          duplicates.push({
            ruleId: "syntax/duplicate-key",
            message: `duplicate field ${JSON.stringify(String(key.value))}: each field may appear once in a mapping`,
            offset,
          });
        } else {
          seen.add(String(key.value));
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return { collectionKeys, duplicates };
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

/** Where character `offset` of a scalar's value is in the text, whatever the scalar's style. */
function scalarOffset(text: string, scalar: Node, offset: number): number {
  const [start, end] = scalar.range!;
  const type = isScalar(scalar) ? scalar.type : undefined;
  const value = isScalar(scalar) ? String(scalar.value) : "";
  if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") {
    const raw = text.slice(start + 1, end - 1);
    return start + 1 + rawOffset(raw, value, offset, type === "QUOTE_DOUBLE" ? "double" : "single");
  }
  if (type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") {
    // The value starts on the line after the `|` or `>` header.
    const contentStart = text.indexOf("\n", start) + 1;
    return contentStart + rawOffset(text.slice(contentStart, end), value, offset, "block");
  }
  return start + rawOffset(text.slice(start, end), value, offset, "plain");
}
