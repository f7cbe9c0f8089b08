import type { Rule } from "../rule.js";

export const definedRules: readonly Rule[] = [];
