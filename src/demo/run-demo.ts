/**
 * The demo's core: deploy every charter of the project config (the examples), play the sample runs
 * over a simulated period with the simulated systems, and gather what happened for the report.
 * `main.ts` runs it on the project's store; the tests run it on a temporary one.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { checkCharters } from "../cli/commands/check-charters.js";
import { readProjectDirectory } from "../cli/project.js";
import { expandCharterPatterns } from "../config/charter-patterns.js";
import { displayPath, loadProjectConfig } from "../config/find-config.js";
import type { ResolvedProjectConfig } from "../config/project-config.js";
import { hasErrors } from "../definition/diagnostic.js";
import type { Directory } from "../definition/lint/rule.js";
import { resolveDefinitionLimits } from "../definition/limits.js";
import type { Charter } from "../definition/schema.js";
import type { RunState } from "../engine/state.js";
import {
  createEngine,
  createManualClock,
  createSqliteStore,
  type ExceptionItem,
  type RunSummary,
  type Task,
} from "../index.js";
import type { StoredAuditRecord } from "../store/store.js";
import { handlers } from "./handlers.js";
import { createDemoModels } from "./models.js";
import { demoSamples, SIMULATED_PERIOD } from "./samples.js";
import type { Sample } from "./samples.js";
import { simulate } from "./simulate.js";

export interface DemoOptions {
  /** The project folder: relative paths (the config, the store) start here. */
  readonly root: string;
  /** The project config. @default the nearest charter.config.json from `root` */
  readonly config?: string;
  /** The project config, when the caller has loaded it already (`config` is then not read). */
  readonly project?: ResolvedProjectConfig;
  /** The SQLite file to create. It should not exist: the demo expects a fresh store. */
  readonly storePath: string;
  /** The end of the simulated period. @default now */
  readonly now?: Date;
}

export interface DeployedCharter {
  readonly workflow: string;
  readonly version: string;
  readonly file: string;
  readonly charter: Charter;
}

/** One run as the report shows it: the sample it came from (none for a child run), and its record. */
export interface DemoRun {
  readonly sample?: Sample;
  readonly summary: RunSummary;
  readonly state: RunState;
  readonly audit: readonly StoredAuditRecord[];
  /** What scripted people and systems did to it during the simulated period. */
  readonly notes: readonly string[];
  /** Child runs (workflow steps), started by this run. */
  readonly children: readonly DemoRun[];
}

export interface DemoOutcome {
  readonly project: ResolvedProjectConfig;
  readonly deployed: readonly DeployedCharter[];
  readonly start: Date;
  readonly end: Date;
  readonly runs: readonly DemoRun[];
  /** Open tasks, each with the users who may decide it (assignees, less not_by exclusions). */
  readonly tasks: readonly { readonly task: Task; readonly deciders: readonly string[] }[];
  readonly exceptions: readonly ExceptionItem[];
  /** What the runtime reported but could not hand to a run (expected: nothing). */
  readonly warnings: readonly string[];
}

export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const end = options.now ?? new Date();
  const start = new Date(end.getTime() - SIMULATED_PERIOD);
  const project =
    options.project ??
    (await loadProjectConfig({
      cwd: options.root,
      ...(options.config === undefined ? {} : { file: options.config }),
    }));
  const charters = await readProjectCharters(project, options.root);
  const directory = await readProjectDirectory(project, options.root);
  const samples = demoSamples(end);
  await mkdir(path.dirname(options.storePath), { recursive: true });
  const store = createSqliteStore({ path: options.storePath });
  const clock = createManualClock(start);
  const warnings: string[] = [];
  const note = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void warnings.push(`${level}: ${message} ${JSON.stringify(fields)}`);
  const engine = createEngine({
    store,
    handlers,
    models: createDemoModels(samples.flatMap((s) => s.hints ?? [])),
    clock,
    logger: { warn: note("warning"), error: note("error") },
    ...(directory ? { directory } : {}),
  });
  try {
    const deployed: DeployedCharter[] = [];
    for (const { file, charter, source } of charters) {
      const { workflow, version } = await engine.deploy(charter, source);
      deployed.push({ workflow, version, file, charter });
    }
    const simulated = await simulate({ engine, store, clock }, samples, end);

    const record = async (
      runId: string,
      sample?: Sample,
      notes: readonly string[] = [],
    ): Promise<DemoRun> => {
      const view = await engine.getRun(runId);
      if (!view) throw new Error(`run ${runId} is not in the store`);
      const childIds = Object.values(view.state.steps)
        .map((i) => i.childRunId)
        .filter((id): id is string => id !== undefined);
      const children = await Promise.all(childIds.map((id) => record(id)));
      return {
        ...(sample ? { sample } : {}),
        summary: view.summary,
        state: view.state,
        audit: await store.auditTrail(runId),
        notes,
        children,
      };
    };
    const runs = await Promise.all(simulated.map((r) => record(r.runId, r.sample, r.notes)));

    const open = (await engine.listTasks({ status: "open", limit: 500 })).items;
    const deciders = new Map<string, string[]>(open.map((t) => [t.taskId, []]));
    for (const user of knownUsers(
      directory,
      charters.map((c) => c.charter),
      open,
    )) {
      for (const task of (await engine.listTasks({ as: user, limit: 500 })).items)
        deciders.get(task.taskId)?.push(user);
    }
    const tasks = open.map((task) => ({ task, deciders: deciders.get(task.taskId) ?? [] }));
    const exceptions = (await engine.listExceptions({ limit: 500 })).items;
    return { project, deployed, start, end, runs, tasks, exceptions, warnings };
  } finally {
    await engine.close();
    await store.close();
  }
}

interface ProjectCharter {
  readonly file: string;
  readonly charter: Charter;
  readonly source: string;
}

/** The config's charters, linted together with the demo's handler names, as `charter deploy` does. */
async function readProjectCharters(project: ResolvedProjectConfig, root: string): Promise<ProjectCharter[]> {
  const files = (await expandCharterPatterns(project.charters)).map((p) => displayPath(p, root));
  const checked = await checkCharters(files, {
    cwd: root,
    limits: resolveDefinitionLimits(),
    handlers: handlers.map((h) => h.name),
  });
  if (hasErrors(checked.diagnostics)) {
    const first = checked.diagnostics.find((d) => d.severity === "error")!;
    throw new Error(
      `the charters do not lint clean (run charter lint): ${first.file}:${first.line}:${first.col} ${first.message}`,
    );
  }
  return Promise.all(
    checked.charters.map(async (c) => ({
      file: c.file,
      charter: c.loaded.charter!,
      source: await readFile(path.resolve(root, c.file), "utf8"),
    })),
  );
}

/** Every user the directory, the charters' roles or the open tasks name. */
function knownUsers(
  directory: Directory | undefined,
  charters: readonly Charter[],
  tasks: readonly Task[],
): string[] {
  const users = new Set<string>();
  const add = (actor: string) => {
    if (actor.startsWith("user:")) users.add(actor);
  };
  for (const members of Object.values(directory?.roles ?? {})) members.forEach(add);
  for (const charter of charters)
    for (const role of Object.values(charter.roles ?? {})) (role.members ?? []).forEach(add);
  for (const task of tasks) task.assignees.forEach(add);
  return [...users].sort();
}
