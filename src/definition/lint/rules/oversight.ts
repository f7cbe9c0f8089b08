import type { Rule } from "../rule.js";

export const oversightRules: readonly Rule[] = [];
