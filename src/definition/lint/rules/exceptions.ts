import type { Rule } from "../rule.js";

export const exceptionsRules: readonly Rule[] = [];
