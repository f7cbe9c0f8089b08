/**
 * What happened to one run, told from its audit trail and its state: the steps it went through
 * with the notable events (an extraction sent to review, a rule's choice, a failure and where it
 * went, retries, an escalation, a decision), and what it waits for now.
 */
import { formatDuration } from "../definition/duration.js";
import type { Charter } from "../definition/schema.js";
import type { RunState, StepInstance } from "../engine/state.js";
import type { DemoRun } from "./run-demo.js";
import type { Expectation, Sample } from "./samples.js";

/** The run's path as short fragments, in order: `extract (confidence 0.97, accepted)`, `route: "..."`. */
export function pathOf(run: DemoRun, charter: Charter | undefined): string[] {
  const fragments: string[] = [];
  const retries = new Map<string, number>();
  const eventNotes = new Map(
    (run.sample?.later ?? []).flatMap((a) => (a.kind === "event" ? [[a.step, a.note] as const] : [])),
  );
  let lastStep: { count: number; text: string } | undefined;
  const push = (text: string) => {
    // `match-po failed PO_NOT_FOUND -> request-po` then `request-po (...)`: one fragment.
    const last = fragments.at(-1);
    const target = / -> ([a-z0-9-]+)$/.exec(last ?? "")?.[1];
    if (last !== undefined && target !== undefined && (text === target || text.startsWith(`${target} `)))
      fragments[fragments.length - 1] = last.slice(0, last.length - target.length) + text;
    else fragments.push(text);
    lastStep = undefined;
  };
  const opened = new Map<string, number>();
  let deadline:
    { instance: string | undefined; index: number; head: string; parts: string[]; after: string } | undefined;
  for (const record of run.audit) {
    const step = record.step ?? "";
    const instance = record.instance === undefined ? undefined : run.state.steps[record.instance];
    const details = record.details ?? {};
    const tries = record.instance === undefined ? 0 : (retries.get(record.instance) ?? 0);
    switch (record.action) {
      case "proposal.accepted":
        push(`${step} (confidence ${confidenceOf(instance)}, accepted)`);
        break;
      case "proposal.sent-to-review": {
        const unsure = uncertainFields(instance);
        push(
          `${step} (confidence ${confidenceOf(instance)}${unsure.length > 0 ? `, unsure of ${unsure.join(", ")}` : ""}): sent to review`,
        );
        break;
      }
      case "decision.made":
        push(
          `${step}: ${details.rule === "default" ? "default" : `"${String(details.rule)}"`} -> ${String(details.goto)}`,
        );
        break;
      case "task.opened":
        if (record.instance !== undefined) opened.set(record.instance, Date.parse(record.at));
        break;
      case "step.retry-scheduled":
        if (record.instance !== undefined) retries.set(record.instance, tries + 1);
        break;
      case "step.failed":
        push(`${step} failed ${String(details.code)}${attempts(tries)} -> ${String(details.to)}`);
        break;
      case "exception.raised":
        push(`${step} failed ${String(details.code)}${attempts(tries)} -> the exception queue`);
        break;
      case "step.succeeded": {
        if (charter?.steps[step]?.kind === "parallel") break;
        const detail = eventNotes.get(step) ?? outputDetail(instance?.output);
        const text = `${step}${detail ? ` (${detail})` : ""}${tries > 0 ? ` after ${tries} retr${tries === 1 ? "y" : "ies"}` : ""}`;
        // Items of a for_each run the same step: one fragment, counted.
        if (lastStep?.text === text && instance?.scope !== "root") {
          lastStep.count += 1;
          fragments[fragments.length - 1] = `${lastStep.text} x${lastStep.count}`;
        } else {
          push(text);
          lastStep = { count: 1, text };
        }
        break;
      }
      case "task.overdue":
      case "task.escalated": {
        // Due and escalation often fall at the same time: one fragment says both.
        const what =
          record.action === "task.overdue"
            ? "overdue"
            : `escalated to ${Array.isArray(details.added) ? details.added.join(", ") : "?"}`;
        if (deadline?.instance === record.instance && deadline?.index === fragments.length - 1) {
          deadline.parts.push(what);
          deadline.parts.sort((a, b) => Number(b === "overdue") - Number(a === "overdue"));
        } else {
          const since = opened.get(record.instance ?? "");
          const after = since === undefined ? "" : ` after ${formatDuration(Date.parse(record.at) - since)}`;
          push(`${step} ${what}${after}`);
          const last = fragments.at(-1)!;
          deadline = {
            instance: record.instance,
            index: fragments.length - 1,
            head: last.slice(0, last.lastIndexOf(`${step} ${what}`)) + `${step} `,
            parts: [what],
            after,
          };
        }
        fragments[deadline.index] = `${deadline.head}${deadline.parts.join(", ")}${deadline.after}`;
        break;
      }
      case "task.expired":
        push(`${step} expired -> ${String(details.to)}`);
        break;
      case "step.timed-out":
        push(`${step} timed out -> ${String(details.to)}`);
        break;
      case "approval.decided":
      case "task.submitted":
        push(`${step} ${String(details.outcome)} by ${record.actor}`);
        break;
      case "decision.refused":
        push(`${record.actor} refused at ${step}`);
        break;
      case "exception.retried":
        push(`${step} retried by ${record.actor}`);
        break;
      case "exception.skipped":
        push(`${step} skipped by ${record.actor} -> ${String(details.to)}`);
        break;
      case "run.cancelled":
        push(`cancelled by ${record.actor}`);
        break;
      case "run.completed":
        push(`ended: ${String(details.outcome)}`);
        break;
      default:
        break;
    }
  }
  return fragments;
}

/** One line per step the run is on: who or what it waits for. */
export function waitsOf(
  state: RunState,
  charter: Charter | undefined,
  children: readonly DemoRun[],
): string[] {
  return state.active
    .map((key) => state.steps[key])
    .filter((i): i is StepInstance => i !== undefined && charter?.steps[i.stepId]?.kind !== "parallel")
    .map((instance) => {
      const step = instance.stepId;
      if (instance.status === "exception")
        return `${step} is in the exception queue (${instance.error?.code ?? "error"})`;
      if (instance.taskId !== undefined) return `${step} waits for ${(instance.assignees ?? []).join(", ")}`;
      if (instance.subscription)
        return `${step} waits for the event ${instance.subscription.name} with key ${instance.subscription.key}`;
      if (instance.childRunId !== undefined) {
        const child = children.find((c) => c.summary.runId === instance.childRunId);
        return `${step} waits for its child run ${child?.summary.workflow ?? ""} ${instance.childRunId}`.replace(
          /\s+/g,
          " ",
        );
      }
      return `${step} is ${instance.status}`;
    });
}

/** Why the run is not where its sample expects it, or undefined when it is. */
export function unexpected(run: DemoRun): string | undefined {
  const sample: Sample | undefined = run.sample;
  if (!sample) return undefined;
  const { state } = run;
  const expect: Expectation = sample.expect;
  const on = (step: string) =>
    state.active.map((k) => state.steps[k]).find((i): i is StepInstance => i?.stepId === step);
  const where =
    state.status === "completed" ? `ended ${state.outcome ?? "?"}` : `is on ${activeSteps(state)}`;
  switch (expect.kind) {
    case "completed":
      return state.status === "completed" && state.outcome === expect.outcome
        ? undefined
        : `expected to end ${expect.outcome}, but it ${where}`;
    case "exception":
      return on(expect.step)?.status === "exception"
        ? undefined
        : `expected ${expect.step} in the exception queue, but the run ${where}`;
    case "waiting": {
      const instance = on(expect.step);
      if (!instance || (instance.status !== "waiting" && instance.status !== "running"))
        return `expected to wait at ${expect.step}, but it ${where}`;
      if (expect.assignee !== undefined && !(instance.assignees ?? []).includes(expect.assignee))
        return `expected ${expect.step} to be assigned to ${expect.assignee}, not ${(instance.assignees ?? []).join(", ")}`;
      if (expect.event !== undefined && instance.subscription?.name !== expect.event)
        return `expected ${expect.step} to wait for ${expect.event}`;
      if (expect.child !== undefined) {
        const child = run.children.find((c) => c.summary.runId === instance.childRunId);
        const waiting = child?.state.active.some((k) => child.state.steps[k]?.stepId === expect.child?.step);
        if (child?.summary.workflow !== expect.child.workflow || !waiting)
          return `expected a child ${expect.child.workflow} run waiting at ${expect.child.step}`;
      }
      return undefined;
    }
  }
}

function activeSteps(state: RunState): string {
  const steps = state.active.map((k) => `${state.steps[k]?.stepId} (${state.steps[k]?.status})`);
  return steps.length > 0 ? steps.join(", ") : "no step";
}

function confidenceOf(instance: StepInstance | undefined): string {
  return instance?.confidence === undefined ? "?" : instance.confidence.toFixed(2);
}

function uncertainFields(instance: StepInstance | undefined): string[] {
  const output = instance?.output as { uncertainFields?: unknown } | undefined;
  return Array.isArray(output?.uncertainFields) ? output.uncertainFields.map(String) : [];
}

function attempts(retries: number): string {
  return retries > 0 ? ` ${retries + 1} times` : "";
}

/** The one output field worth showing in the path, for outputs that have one. */
function outputDetail(output: unknown): string | undefined {
  if (typeof output !== "object" || output === null) return undefined;
  const o = output as Record<string, unknown>;
  if (typeof o.paymentId === "string") return `payment ${o.paymentId}`;
  if (typeof o.requestId === "string") return `request ${o.requestId}`;
  if (typeof o.caseId === "string" && typeof o.result === "string")
    return o.subject === undefined ? `case ${o.caseId}` : o.result;
  if (typeof o.accountName === "string") return `${o.accountName}, ${String(o.tier)} tier`;
  if (typeof o.poNumber === "string" && o.matched === true) return `PO ${o.poNumber}`;
  if (typeof o.upn === "string") return `account ${o.upn}`;
  if (typeof o.clean === "boolean") return o.clean ? "clean" : "infected";
  if (Array.isArray(o.articles)) return `${o.articles.length} article${o.articles.length === 1 ? "" : "s"}`;
  if (typeof o.reimbursableAmount === "number")
    return `${o.reimbursableAmount.toFixed(2)} ${String(o.currency)}, ${Array.isArray(o.violations) ? o.violations.length : 0} violations`;
  if (typeof o.pepMatches === "number") return `${o.pepMatches} PEP, ${String(o.confirmedMatches)} sanctions`;
  return undefined;
}
