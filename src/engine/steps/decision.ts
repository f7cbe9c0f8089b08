/**
 * `decision`: rules in order, the first that is true wins, else `default`. Never AI. The decision is
 * recorded on the instance (rule name, or "rule N" / "default", and the policy) and audited with
 * the rule as actor and a hash of the context it decided on.
 */
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import { expressionContext } from "../context.js";
import type { Draft } from "../draft.js";
import { evaluate, isTrue } from "../expressions.js";
import { routeError } from "../failure.js";
import { endInstance } from "../instances.js";
import { goTo } from "../routing.js";
import type { StepInstance } from "../state.js";

export async function enterDecision(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"decision">,
): Promise<void> {
  const decidedOn = contextDecidedOn(draft, instance);
  let chosen: { goto: string; rule: string } = { goto: step.default, rule: "default" };
  for (const [i, rule] of step.rules.entries()) {
    const result = await evaluate(draft, rule.when, instance.scope);
    if (!result.ok) return routeError(draft, instance, result.error);
    if (isTrue(result.value)) {
      chosen = { goto: rule.goto, rule: rule.name ?? `rule ${i + 1}` };
      break;
    }
  }
  const by = `rule:${instance.stepId}`;
  instance.decision = {
    outcome: chosen.goto,
    by,
    at: draft.at,
    rule: chosen.rule,
    ...(step.policy === undefined ? {} : { policy: step.policy }),
  };
  endInstance(draft, instance, "succeeded");
  audit(
    draft,
    {
      actor: by,
      action: "decision.made",
      ...(step.policy === undefined ? {} : { policy: step.policy }),
      data: decidedOn,
      details: { rule: chosen.rule, goto: chosen.goto },
    },
    instance,
  );
  await goTo(draft, instance, chosen.goto);
}

/** What the rules read: the input and the other steps (the decision itself is not yet decided). */
function contextDecidedOn(
  draft: Draft,
  instance: StepInstance,
): { input: unknown; steps: Record<string, unknown> } {
  const { input, steps } = expressionContext(draft, instance.scope) as {
    input: unknown;
    steps: Record<string, unknown>;
  };
  const { [instance.stepId]: _self, ...others } = steps;
  return { input, steps: others };
}
