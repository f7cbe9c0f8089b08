import type { Rule } from "../rule.js";

export const scaleRules: readonly Rule[] = [];
