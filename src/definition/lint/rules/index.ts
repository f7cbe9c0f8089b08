import type { Rule } from "../rule.js";
import { aiAuthorityRules } from "./ai-authority.js";
import { definedRules } from "./defined/index.js";
import { exceptionsRules } from "./exceptions.js";
import { expressionRules } from "./expression.js";
import { oversightRules } from "./oversight.js";
import { referenceRules } from "./references.js";
import { scaleRules } from "./scale.js";

/** Every lint rule, in family order; the docs' rule index is generated from this list. */
export const ALL_RULES: readonly Rule[] = [
  ...definedRules,
  ...referenceRules,
  ...aiAuthorityRules,
  ...exceptionsRules,
  ...oversightRules,
  ...scaleRules,
  ...expressionRules,
];
