/**
 * Plays the samples over a simulated period on a manual clock: the clock starts `SIMULATED_PERIOD`
 * before `end` (now) and moves forward, from one timer to the next, to each sample's start and each
 * scripted action, running the engine until idle after every step. Due dates, escalations and retry
 * backoffs fire as they would have, and every time stored is at or before `end`, so the CLI (on the
 * system clock) carries on from there.
 */
import type { RunState } from "../engine/state.js";
import type { Engine, ManualClock, Store } from "../index.js";
import type { Sample, ScriptedAction } from "./samples.js";

export interface SimulatedRun {
  readonly sample: Sample;
  readonly runId: string;
  /** What the scripted actions did, in order (for the report). */
  readonly notes: string[];
}

export interface Simulation {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: ManualClock;
}

interface Step {
  readonly at: number;
  /** Keeps the samples' order for steps at the same time. */
  readonly order: number;
  readonly run: () => Promise<void>;
}

export async function simulate(
  sim: Simulation,
  samples: readonly Sample[],
  end: Date,
): Promise<SimulatedRun[]> {
  const runs: SimulatedRun[] = [];
  const steps: Step[] = [];
  samples.forEach((sample, index) => {
    const startAt = end.getTime() - sample.startsBefore;
    const run: { current?: SimulatedRun } = {};
    steps.push({
      at: startAt,
      order: index,
      run: async () => {
        const { runId } = await sim.engine.start(sample.workflow, {
          input: sample.input,
          as: sample.as,
          idempotencyKey: `demo:${sample.id}`,
        });
        run.current = { sample, runId, notes: [] };
        runs.push(run.current);
      },
    });
    for (const action of sample.later ?? []) {
      steps.push({
        at: startAt + action.after,
        order: index,
        run: async () => {
          if (!run.current) throw new Error(`sample ${sample.id}: an action before the run started`);
          await perform(sim.engine, run.current, action);
        },
      });
    }
  });
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) {
    await advanceTo(sim, Math.min(step.at, end.getTime()));
    await step.run();
    await sim.engine.runUntilIdle();
  }
  await advanceTo(sim, end.getTime());
  return runs;
}

/** Moves the clock to `target`, stopping at every timer on the way, and runs the engine until idle. */
export async function advanceTo(sim: Simulation, target: number): Promise<void> {
  for (;;) {
    await sim.engine.runUntilIdle();
    const next = await sim.store.nextTimerAt();
    if (next === undefined || Date.parse(next) > target) break;
    sim.clock.set(new Date(Math.max(Date.parse(next), sim.clock.now().getTime())));
  }
  if (target > sim.clock.now().getTime()) sim.clock.set(new Date(target));
  await sim.engine.runUntilIdle();
}

async function perform(engine: Engine, run: SimulatedRun, action: ScriptedAction): Promise<void> {
  const state = await stateOf(engine, run.runId);
  if (action.kind === "decide") {
    const taskId = latest(state, action.step)?.taskId;
    if (taskId === undefined) throw new Error(`sample ${run.sample.id}: no open task at "${action.step}"`);
    await engine.decide(taskId, {
      as: action.as,
      outcome: action.outcome,
      ...(action.reason === undefined ? {} : { reason: action.reason }),
      ...(action.data === undefined ? {} : { data: action.data }),
    });
  } else {
    const output = latest(state, action.keyFrom.step)?.output as Record<string, unknown> | undefined;
    const key = output?.[action.keyFrom.field];
    if (typeof key !== "string")
      throw new Error(
        `sample ${run.sample.id}: no ${action.keyFrom.step}.${action.keyFrom.field} to send ${action.name} to`,
      );
    await engine.sendEvent(action.name, { key, ...(action.data === undefined ? {} : { data: action.data }) });
  }
  run.notes.push(action.note);
}

async function stateOf(engine: Engine, runId: string): Promise<RunState> {
  const view = await engine.getRun(runId);
  if (!view) throw new Error(`run ${runId} is not in the store`);
  return view.state;
}

/** The latest instance of a step at the top level of the run. */
export function latest(state: RunState, stepId: string): RunState["steps"][string] | undefined {
  const key = state.latest.root?.[stepId];
  return key === undefined ? undefined : state.steps[key];
}
