import type { Rule } from "../rule.js";

export const expressionRules: readonly Rule[] = [];
