import { CharterError } from "../errors.js";

/**
 * Limits on what the definition layer reads. A breach is a diagnostic under a `limits/*` rule id,
 * never a crash: a charter is user input, and a hostile or broken one must fail fast and clearly.
 */
export interface DefinitionLimits {
  /**
   * Largest charter file, in bytes.
   * @default 4194304 (4 MiB)
   */
  maxBytes?: number;
  /**
   * Deepest nesting of mappings and sequences (a charter needs about 10).
   * @default 64
   */
  maxDepth?: number;
  /**
   * Most YAML alias expansions in one file; stops "billion laughs" documents.
   * @default 100
   */
  maxAliases?: number;
  /**
   * Most steps in one charter.
   * @default 10000
   */
  maxSteps?: number;
  /**
   * Longest expression, in characters.
   * @default 4096
   */
  maxExpressionLength?: number;
}

export type ResolvedDefinitionLimits = Readonly<Required<DefinitionLimits>>;

export const DEFAULT_DEFINITION_LIMITS: ResolvedDefinitionLimits = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxSteps: 10_000,
  maxExpressionLength: 4096,
});

export function resolveDefinitionLimits(limits: DefinitionLimits = {}): ResolvedDefinitionLimits {
  const resolved = { ...DEFAULT_DEFINITION_LIMITS };
  for (const key of Object.keys(DEFAULT_DEFINITION_LIMITS) as (keyof DefinitionLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw new CharterError(
        "INVALID_OPTION",
        `limit ${key} must be a non-negative integer, got ${String(value)}`,
      );
    }
    resolved[key] = value;
  }
  return Object.freeze(resolved);
}
