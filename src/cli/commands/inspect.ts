import type { Command } from "commander";
import { shortHash } from "../../docs/hash.js";
import type { RunState, StepInstance } from "../../engine/state.js";
import { CharterError } from "../../errors.js";
import type { TimelineEntry } from "../../runtime/engine.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Column } from "../output.js";
import { formatJson, formatTable, formatTime } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface InspectFlags extends StoreFlags {
  json?: boolean;
}

/** A step instance the run is still on: in flight, waiting for someone or something, or failed. */
export interface CurrentStep {
  readonly instance: string;
  readonly step: string;
  readonly status: StepInstance["status"];
  /** Who may act (a human step), or what it waits for (an event, a timer, a child run). */
  readonly waitingFor?: string;
  readonly excluded?: readonly string[];
  readonly taskId?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

const TIMELINE: readonly Column<TimelineEntry>[] = [
  { header: "TIME", value: (e) => formatTime(e.at) },
  { header: "WHAT", value: (e) => e.what },
  { header: "ACTOR", value: (e) => e.actor ?? "-" },
  { header: "STEP", value: (e) => e.step ?? "-" },
  { header: "DETAIL", value: (e) => e.detail ?? "" },
];

const CURRENT: readonly Column<CurrentStep>[] = [
  { header: "STEP", value: (s) => s.step },
  { header: "STATUS", value: (s) => s.status },
  { header: "WAITING FOR", value: (s) => s.waitingFor ?? "-" },
  { header: "DETAIL", value: currentDetail },
];

export function registerInspect(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("inspect")
    .description("show a run: its summary, the steps it is on and who they wait for, and its timeline")
    .argument("<run>", "the run id")
    .addOption(jsonOption("print { run, current, timeline, state } as JSON"));
  storeOptions(command).action(async (runId: string, flags: InspectFlags) => {
    const { view, timeline } = await withEngine(flags, io, async (engine) => {
      const view = await engine.getRun(runId);
      if (view === undefined) {
        throw new CharterError("NOT_FOUND", `no run "${runId}"; list runs with charter runs`, {
          details: { runId },
        });
      }
      return { view, timeline: await engine.timeline(runId) };
    });
    const current = currentSteps(view.state);
    if (flags.json) {
      io.stdout(formatJson({ run: view.summary, current, timeline, state: view.state }));
      setExit(EXIT.ok);
      return;
    }
    const { summary, state } = view;
    const rows: [string, string][] = [
      ["run", summary.runId],
      ["workflow", `${summary.workflow}@${shortHash(summary.version)}`],
      ["status", summary.status],
      ["outcome", summary.outcome === undefined ? "-" : `${summary.outcome}${outcomeNote(state)}`],
      ["initiator", summary.initiator],
      ["started", formatTime(summary.startedAt)],
      ["ended", formatTime(summary.endedAt)],
    ];
    if (state.parent) rows.push(["parent", `${state.parent.runId} (${state.parent.instance})`]);
    io.stdout(rows.map(([key, value]) => `${key.padEnd(10)} ${value}`).join("\n") + "\n");
    if (current.length > 0) io.stdout(`\ncurrent steps\n${formatTable(current, CURRENT, io.isTty)}`);
    io.stdout(`\ntimeline\n${formatTable(timeline, TIMELINE, io.isTty)}`);
    setExit(EXIT.ok);
  });
}

export function currentSteps(state: RunState): CurrentStep[] {
  return state.active
    .map((key) => state.steps[key])
    .filter((instance): instance is StepInstance => instance !== undefined)
    .map((instance) => {
      const waitingFor = waitingForOf(instance);
      return {
        instance: instance.key,
        step: instance.stepId,
        status: instance.status,
        ...(waitingFor !== undefined ? { waitingFor } : {}),
        ...(instance.excluded && instance.excluded.length > 0 ? { excluded: instance.excluded } : {}),
        ...(instance.taskId !== undefined ? { taskId: instance.taskId } : {}),
        ...(instance.error ? { error: { code: instance.error.code, message: instance.error.message } } : {}),
      };
    });
}

function waitingForOf(instance: StepInstance): string | undefined {
  if (instance.assignees && instance.assignees.length > 0) return instance.assignees.join(", ");
  if (instance.subscription) return `event ${instance.subscription.name} (key ${instance.subscription.key})`;
  if (instance.childRunId !== undefined) return `run ${instance.childRunId}`;
  if (instance.status === "exception") return "an operator (charter exceptions)";
  return undefined;
}

function currentDetail(step: CurrentStep): string {
  const parts: string[] = [];
  if (step.taskId !== undefined) parts.push(`task ${step.taskId}`);
  if (step.excluded) parts.push(`not ${step.excluded.join(", ")}`);
  if (step.error) parts.push(`${step.error.code}: ${step.error.message}`);
  if (step.instance !== `root/${step.step}#1`) parts.push(`instance ${step.instance}`);
  return parts.join("; ");
}

function outcomeNote(state: RunState): string {
  const notes: string[] = [];
  if (state.success !== undefined) notes.push(state.success ? "success" : "not a success");
  if (state.slaBreached) notes.push("over its service level");
  return notes.length > 0 ? ` (${notes.join(", ")})` : "";
}
