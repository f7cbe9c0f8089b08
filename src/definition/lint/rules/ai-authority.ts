import type { Rule } from "../rule.js";

export const aiAuthorityRules: readonly Rule[] = [];
