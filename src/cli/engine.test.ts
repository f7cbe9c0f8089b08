/**
 * The README scenario, in-process: init -> lint -> deploy -> start -> worker -> inbox -> a refused
 * decision -> a decision -> worker -> inspect -> audit verify, on a temporary SQLite store and on a
 * PostgreSQL database of this file's own.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliRun } from "../../test/helpers/cli.js";
import { runCli, tempProject } from "../../test/helpers/cli.js";
import type { TestDatabase } from "../../test/helpers/postgres-db.js";
import { createTestDatabase } from "../../test/helpers/postgres-db.js";

const FIXTURE_HANDLERS = fileURLToPath(new URL("../../test/fixtures/project/handlers.ts", import.meta.url));

let postgres: TestDatabase | undefined;
let schemas = 0;
beforeAll(async () => {
  postgres = await createTestDatabase("cli");
});
afterAll(async () => {
  await postgres?.drop();
});

/** Where a test project keeps its runs: a file in the project, or a new schema of this file's database. */
const STORES = {
  sqlite: (dir: string) => `sqlite:${path.join(dir, "x.db")}`,
  postgres: () => `${postgres!.url}?schema=${encodeURIComponent(`cli "tour" ${++schemas}`)}`,
} as const;

/** A project made by `charter init`, with the test handlers and its own store. */
async function initProject(storeOf: (dir: string) => string = STORES.sqlite): Promise<{
  dir: string;
  store: string;
  cli: (argv: string[]) => Promise<CliRun>;
}> {
  const dir = tempProject({});
  const init = await runCli(["init"], dir);
  expect(init.code).toBe(0);
  const configFile = path.join(dir, "charter.config.json");
  const config = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
  // The generated handlers.mjs imports the installed package; tests use the same handlers from source.
  writeFileSync(configFile, JSON.stringify({ ...config, handlers: FIXTURE_HANDLERS }, null, 2));
  const store = storeOf(dir);
  return { dir, store, cli: (argv) => runCli([...argv, "--store", store], dir) };
}

function runIdOf(run: CliRun): string {
  expect(run).toMatchObject({ code: 0, stderr: "" });
  return run.stdout.trim();
}

describe.each(["sqlite", "postgres"] as const)("the README scenario on %s", (kind) => {
  it("walks a run from deploy to an audited approval", async () => {
    const { dir, cli } = await initProject(STORES[kind]);

    expect(await runCli(["lint", "charters"], dir)).toEqual({
      code: 0,
      stdout: "1 file checked: no problems\n",
      stderr: "",
    });

    const deploy = await cli(["deploy"]);
    expect(deploy).toMatchObject({ code: 0, stderr: "" });
    expect(deploy.stdout).toMatch(/^deployed hello@[0-9a-f]{12}\n$/);
    const again = await cli(["deploy", "charters/hello.yaml"]);
    expect(again.stdout).toBe(deploy.stdout.replace("deployed", "unchanged"));

    const runId = runIdOf(
      await cli(["start", "hello", "--input", '{"name":"Ada","amount":250}', "--as", "user:ivan"]),
    );

    const worker = await cli(["worker", "--until-idle"]);
    expect(worker).toMatchObject({ code: 0, stderr: "" });
    expect(worker.stdout).toMatch(/^idle: handled (1 job or timer|\d+ jobs and timers)\n$/);

    const inbox = await cli(["tasks", "--as", "user:fiona"]);
    expect(inbox.code).toBe(0);
    const [header, row] = inbox.stdout.split("\n");
    expect(header).toMatch(/^TASK +WORKFLOW +RUN +STEP +ASSIGNEES +DUE$/);
    expect(row).toContain(runId);
    expect(row).toMatch(/ hello .* approve +role:approver +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    const taskId = row!.split(/ +/)[0]!;
    const decideLines = inbox.stdout
      .split("\n")
      .filter((line) => line.trimStart().startsWith("charter decide"));
    expect(decideLines.map((l) => l.trim())).toEqual([
      expect.stringMatching(
        new RegExp(
          `^charter decide ${taskId} --as user:fiona --outcome approved --reason "<why>" --store \\S+$`,
        ),
      ),
      expect.stringMatching(/--outcome rejected --reason "<why>"/),
    ]);

    const json = JSON.parse((await cli(["tasks", "--as", "user:fiona", "--json"])).stdout) as {
      items: { taskId: string; runId: string; decide: string[] }[];
    };
    expect(json.items).toEqual([expect.objectContaining({ taskId, runId })]);
    expect(json.items[0]!.decide).toHaveLength(2);

    // Separation of duties: the initiator is an approver, but may not approve their own run.
    const refused = await cli([
      "decide",
      taskId,
      "--as",
      "user:ivan",
      "--outcome",
      "approved",
      "--reason",
      "mine",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^charter decide: .+ \[FORBIDDEN\]\n$/);

    const decided = await cli([
      "decide",
      taskId,
      "--as",
      "user:fiona",
      "--outcome",
      "approved",
      "--reason",
      "a fair amount",
    ]);
    expect(decided).toEqual({ code: 0, stdout: `decided ${taskId}: approved by user:fiona\n`, stderr: "" });
    expect((await cli(["tasks", "--as", "user:fiona"])).stdout).toBe("no open tasks for user:fiona\n");

    expect((await cli(["worker", "--until-idle"])).code).toBe(0);

    const inspect = await cli(["inspect", runId]);
    expect(inspect).toMatchObject({ code: 0, stderr: "" });
    expect(inspect.stdout).toMatch(new RegExp(`^run +${runId}$`, "m"));
    expect(inspect.stdout).toMatch(/^workflow +hello@[0-9a-f]{12}$/m);
    expect(inspect.stdout).toMatch(/^status +completed$/m);
    expect(inspect.stdout).toMatch(/^outcome +sent \(success\)$/m);
    expect(inspect.stdout).toMatch(/^initiator +user:ivan$/m);
    expect(inspect.stdout).toMatch(/^timeline\nTIME +WHAT +ACTOR +STEP +DETAIL$/m);
    expect(inspect.stdout).toMatch(/user:fiona +approve/);
    expect(inspect.stdout).not.toMatch(/current steps/);

    const inspected = JSON.parse((await cli(["inspect", runId, "--json"])).stdout) as {
      run: { runId: string; outcome: string };
      timeline: { what: string; actor?: string }[];
    };
    expect(inspected.run).toMatchObject({ runId, outcome: "sent" });
    expect(inspected.timeline.some((e) => e.actor === "user:ivan")).toBe(true);

    const runs = await cli(["runs"]);
    expect(runs.stdout).toMatch(/^RUN +WORKFLOW +VERSION +STATUS +OUTCOME +STARTED\n/);
    expect(runs.stdout).toMatch(new RegExp(`^${runId} +hello +[0-9a-f]{12} +completed +sent +\\d{4}-`, "m"));

    expect(await cli(["audit", "verify", runId])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^audit trail intact: 1 run, \d+ records verified\n$/),
    });
    expect((await cli(["audit", "verify"])).code).toBe(0);
  });

  it("shows a waiting run's current step and who it waits for", async () => {
    const { cli } = await initProject();
    await cli(["deploy"]);
    const runId = runIdOf(
      await cli(["start", "hello", "--input", '{"name":"Bo","amount":500}', "--as", "user:ivan"]),
    );
    await cli(["worker", "--until-idle"]);
    const inspect = await cli(["inspect", runId]);
    expect(inspect.stdout).toMatch(/^status +running$/m);
    expect(inspect.stdout).toMatch(
      /^current steps\nSTEP +STATUS +WAITING FOR +DETAIL\napprove +waiting +role:approver +task \S+; not user:ivan$/m,
    );
    const json = JSON.parse((await cli(["inspect", runId, "--json"])).stdout) as { current: unknown[] };
    expect(json.current).toEqual([
      expect.objectContaining({
        step: "approve",
        status: "waiting",
        waitingFor: "role:approver",
        excluded: ["user:ivan"],
      }),
    ]);
  });

  it("takes a small amount straight through the rule, with no approval", async () => {
    const { cli } = await initProject();
    await cli(["deploy"]);
    const runId = runIdOf(
      await cli(["start", "hello", "--input", '{"name":"Cy","amount":5}', "--as", "user:ivan"]),
    );
    await cli(["worker", "--until-idle"]);
    expect((await cli(["tasks"])).stdout).toBe("no open tasks\n");
    const runs = JSON.parse((await cli(["runs", "--json"])).stdout) as {
      items: { runId: string; outcome: string }[];
    };
    expect(runs.items).toEqual([expect.objectContaining({ runId, outcome: "sent" })]);
  });

  it("reads input from a file, and returns the same run for a repeated idempotency key", async () => {
    const { dir, cli } = await initProject();
    writeFileSync(path.join(dir, "input.json"), '{"name":"Di","amount":1}');
    await cli(["deploy"]);
    const start = [
      "start",
      "hello",
      "--input",
      "@input.json",
      "--as",
      "user:ivan",
      "--idempotency-key",
      "k-1",
    ];
    const first = JSON.parse((await cli([...start, "--json"])).stdout) as { runId: string; created: boolean };
    expect(first.created).toBe(true);
    const second = await cli(start);
    expect(second.stdout).toBe(`${first.runId}\n`);
    expect(second.stderr).toMatch(/started before with this idempotency key/);
  });

  it("lists runs by workflow and status, a page at a time", async () => {
    const { cli } = await initProject();
    await cli(["deploy"]);
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) {
      ids.push(
        runIdOf(
          await cli(["start", "hello", "--input", `{"name":"E","amount":${amount}}`, "--as", "user:ivan"]),
        ),
      );
    }
    const page = await cli(["runs", "--limit", "2", "--status", "running"]);
    const lines = page.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const more = /^more: charter runs --status running --limit 2 --store \S+ --after (\S+)$/.exec(lines[3]!);
    expect(more).not.toBeNull();
    const rest = JSON.parse(
      (await cli(["runs", "--limit", "2", "--status", "running", "--after", more![1]!, "--json"])).stdout,
    ) as {
      items: { runId: string }[];
      next?: string;
    };
    expect(rest.items).toHaveLength(1);
    expect(rest.next).toBeUndefined();
    const shown = [...lines.slice(1, 3).map((l) => l.split(" ")[0]), rest.items[0]!.runId];
    expect(shown.sort()).toEqual([...ids].sort());
    expect((await cli(["runs", "--workflow", "other"])).stdout).toBe("no runs\n");
    expect((await cli(["runs", "--status", "completed"])).stdout).toBe("no runs\n");
  });

  it("runs the worker until it is asked to stop", async () => {
    const { cli, store, dir } = await initProject();
    await cli(["deploy"]);
    const runId = runIdOf(
      await cli(["start", "hello", "--input", '{"name":"Fe","amount":1}', "--as", "user:ivan"]),
    );
    const stop = new AbortController();
    const worker = runCli(["worker", "--store", store], dir, { shutdown: stop.signal });
    // Poll the run's status through the CLI until the worker has finished it, then stop the worker.
    let status = "";
    for (let i = 0; i < 200 && status !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const runs = JSON.parse((await cli(["runs", "--json"])).stdout) as {
        items: { runId: string; status: string }[];
      };
      status = runs.items.find((r) => r.runId === runId)?.status ?? "";
    }
    stop.abort();
    const stopped = await worker;
    expect(status).toBe("completed");
    expect(stopped).toMatchObject({ code: 0, stdout: "" });
    expect(stopped.stderr).toMatch(/worker started[\s\S]*worker stopped\n$/);
  });
});

describe("the store", () => {
  it("defaults to .charter/charter.db beside the config, found from a subfolder", async () => {
    const { dir } = await initProject();
    expect((await runCli(["deploy"], dir)).code).toBe(0);
    const sub = path.join(dir, "charters");
    const runId = runIdOf(
      await runCli(["start", "hello", "--input", '{"name":"G","amount":1}', "--as", "user:ivan"], sub),
    );
    const runs = await runCli(["runs", "--json"], dir);
    expect(JSON.parse(runs.stdout)).toMatchObject({ items: [{ runId }] });
    expect(readFileSync(path.join(dir, ".charter", "charter.db")).length).toBeGreaterThan(0);
  });

  it("is CHARTER_STORE when set, and --store above both", async () => {
    const { dir } = await initProject();
    const env = { CHARTER_STORE: "sqlite:env.db" };
    expect((await runCli(["deploy"], dir, { env })).code).toBe(0);
    await runCli(["start", "hello", "--input", '{"name":"H","amount":1}', "--as", "user:ivan"], dir, { env });
    const count = async (argv: string[], options = {}) =>
      (JSON.parse((await runCli(["runs", "--json", ...argv], dir, options)).stdout) as { items: unknown[] })
        .items.length;
    expect(await count([], { env })).toBe(1);
    expect(await count([])).toBe(0); // the config's store
    expect(await count(["--store", "sqlite:other.db"], { env })).toBe(0);
  });
});
