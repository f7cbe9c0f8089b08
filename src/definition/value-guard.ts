/**
 * Checks on a charter value before the schema walks it. Text has already been bounded by the depth
 * guard, but an object built in code (TypeScript, JavaScript) has not: it may nest without bound or
 * contain itself. A key named `__proto__` is refused wherever it comes from, since assigning it
 * would change an object's prototype instead of adding a field.
 */
import type { Finding, ValuePath } from "./diagnostic.js";

export function guardValue(value: unknown, maxDepth: number): Finding[] {
  const findings: Finding[] = [];
  const onPath = new Set<object>();
  const stack: { node: unknown; path: ValuePath; leaving?: object }[] = [{ node: value, path: [] }];
  while (stack.length > 0 && findings.length < 20) {
    const { node, path, leaving } = stack.pop()!;
    if (leaving) {
      onPath.delete(leaving);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    if (onPath.has(node)) {
      findings.push({
        ruleId: "limits/depth",
        message: `the value at "${pathText(path)}" contains itself`,
        path,
      });
      continue;
    }
    if (path.length > maxDepth) {
      const message = `nesting is deeper than ${maxDepth} levels (option maxDepth); a charter needs about 10`;
      return [{ ruleId: "limits/depth", message, path: path.slice(0, maxDepth) }];
    }
    onPath.add(node);
    stack.push({ node, path, leaving: node });
    for (const key of Object.keys(node)) {
      if (key === "__proto__") {
        const message = 'a key named "__proto__" is not allowed: it would change the object\'s prototype';
        findings.push({ ruleId: "schema/invalid-value", message, path: [...path, key], atKey: true });
        continue;
      }
      const child = (node as Record<string, unknown>)[key];
      stack.push({ node: child, path: [...path, Array.isArray(node) ? Number(key) : key] });
    }
  }
  return findings;
}

function pathText(path: ValuePath): string {
  return path.length === 0 ? "(the charter)" : path.join(".");
}

/** True when an object contains itself: only aliases can do that, and no later step could walk it. */
export function isCyclic(root: unknown): boolean {
  const onPath = new Set<object>();
  const stack: { node: object; leaving: boolean }[] = [];
  if (typeof root === "object" && root !== null) stack.push({ node: root, leaving: false });
  while (stack.length > 0) {
    const { node, leaving } = stack.pop()!;
    if (leaving) {
      onPath.delete(node);
      continue;
    }
    if (onPath.has(node)) return true;
    onPath.add(node);
    stack.push({ node, leaving: true });
    for (const child of Object.values(node)) {
      if (typeof child === "object" && child !== null) stack.push({ node: child, leaving: false });
    }
  }
  return false;
}
