/** The operator's commands: the exception queue, events for waiting runs, and a tampered audit trail. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import type { CliRun } from "../../test/helpers/cli.js";
import { runCli, tempProject } from "../../test/helpers/cli.js";

const fixture = (file: string) =>
  fileURLToPath(new URL(`../../test/fixtures/project/${file}`, import.meta.url));

let dbFile: string;
let cli: (argv: string[]) => Promise<CliRun>;

beforeEach(async () => {
  const dir = tempProject({
    "charter.config.json": JSON.stringify({
      handlers: fixture("ops-handlers.ts"),
      charters: [fixture("ops.yaml")],
    }),
  });
  dbFile = path.join(dir, "ops.db");
  cli = (argv) => runCli([...argv, "--store", `sqlite:${dbFile}`], dir);
  expect((await cli(["deploy"])).stdout).toMatch(/^deployed ops@/);
});

/** Start a run of ops.yaml and let the worker take it as far as it goes. */
async function startOps(input: object): Promise<string> {
  const start = await cli(["start", "ops", "--input", JSON.stringify(input), "--as", "user:ivan"]);
  expect(start.code).toBe(0);
  expect((await cli(["worker", "--until-idle"])).code).toBe(0);
  return start.stdout.trim();
}

async function statusOf(runId: string): Promise<{ status: string; outcome?: string }> {
  return (
    JSON.parse((await cli(["inspect", runId, "--json"])).stdout) as {
      run: { status: string; outcome?: string };
    }
  ).run;
}

describe("charter exceptions", () => {
  it("lists a failure no route handled, with the commands that act on it", async () => {
    const runId = await startOps({ requestId: "r-1", fail: true });
    const list = await cli(["exceptions"]);
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.split("\n");
    expect(header).toMatch(/^RUN +WORKFLOW +INSTANCE +STEP +ERROR +RAISED$/);
    expect(row).toMatch(
      new RegExp(`^${runId} +ops +root/check#1 +check +CHECK_FAILED: the check service said no +\\d{4}-`),
    );
    expect(list.stdout).toContain(
      `charter exceptions retry ${runId} root/check#1 --as user:ID --reason "<why>"`,
    );
    const json = JSON.parse((await cli(["exceptions", "--json"])).stdout) as {
      items: { instance: string }[];
    };
    expect(json.items).toEqual([
      expect.objectContaining({ runId, instance: "root/check#1", stepId: "check" }),
    ]);
    const inspect = await cli(["inspect", runId]);
    expect(inspect.stdout).toMatch(
      /^check +exception +an operator \(charter exceptions\) +CHECK_FAILED: the check service said no$/m,
    );
  });

  it("retries the step, then an event resumes the waiting run", async () => {
    const runId = await startOps({ requestId: "r-2", fail: true });
    expect(
      await cli([
        "exceptions",
        "retry",
        runId,
        "root/check#1",
        "--as",
        "user:olga",
        "--reason",
        "service is back",
      ]),
    ).toEqual({
      code: 0,
      stdout: `retrying root/check#1 of run ${runId}; run charter worker to carry it out\n`,
      stderr: "",
    });
    await cli(["worker", "--until-idle"]);
    expect((await cli(["exceptions"])).stdout).toBe("no exceptions\n");
    expect((await cli(["inspect", runId])).stdout).toMatch(
      /^wait-po +waiting +event po\.received \(key r-2\)/m,
    );

    expect((await cli(["event", "po.received", "--key", "other"])).stdout).toBe(
      "no run is waiting for po.received with key other\n",
    );
    expect(await cli(["event", "po.received", "--key", "r-2", "--data", '{"po":"PO-9"}'])).toEqual({
      code: 0,
      stdout: "delivered po.received to 1 run\n",
      stderr: "",
    });
    await cli(["worker", "--until-idle"]);
    expect(await statusOf(runId)).toMatchObject({ status: "completed", outcome: "done" });
  });

  it("skips the step to another, and cancels a run", async () => {
    const skipped = await startOps({ requestId: "r-3", fail: true });
    const skip = await cli([
      "exceptions",
      "skip",
      skipped,
      "root/check#1",
      "--to",
      "done",
      "--as",
      "user:olga",
      "--reason",
      "checked by hand",
    ]);
    expect(skip).toEqual({
      code: 0,
      stdout: `skipped root/check#1 of run ${skipped}; continuing at done\n`,
      stderr: "",
    });
    await cli(["worker", "--until-idle"]);
    expect(await statusOf(skipped)).toMatchObject({ status: "completed", outcome: "done" });

    const cancelled = await startOps({ requestId: "r-4", fail: true });
    expect(
      (await cli(["exceptions", "cancel", cancelled, "--as", "user:olga", "--reason", "duplicate"])).stdout,
    ).toBe(`cancelled run ${cancelled}\n`);
    expect((await statusOf(cancelled)).status).toBe("cancelled");
    expect((await cli(["runs", "--status", "cancelled", "--json"])).stdout).toContain(cancelled);
  });

  it("refuses an operator action that is not possible, with its code", async () => {
    const runId = await startOps({ requestId: "r-5", fail: true });
    const unknownStep = await cli([
      "exceptions",
      "skip",
      runId,
      "root/check#1",
      "--to",
      "nowhere",
      "--as",
      "user:olga",
      "--reason",
      "x",
    ]);
    expect(unknownStep.code).toBe(2);
    expect(unknownStep.stderr).toMatch(/^charter exceptions skip: .*nowhere.* \[NOT_FOUND\]\n$/);
    const noReason = await cli([
      "exceptions",
      "retry",
      runId,
      "root/check#1",
      "--as",
      "user:olga",
      "--reason",
      " ",
    ]);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/\[CONFLICT\]\n$/);
    const missingReason = await cli(["exceptions", "cancel", runId, "--as", "user:olga"]);
    expect(missingReason.code).toBe(2);
    expect(missingReason.stderr).toMatch(/required option '--reason <text>' not specified/);
  });
});

describe("charter audit verify", () => {
  it("exits 1 and names the run and the record when a chain is broken", async () => {
    const intact = await startOps({ requestId: "r-6" });
    const tampered = await startOps({ requestId: "r-7" });
    // Someone with write access to the file drops the guard and edits the record.
    const db = new Database(dbFile);
    db.exec("DROP TRIGGER audit_no_update");
    db.prepare("UPDATE audit SET actor = 'user:mallory' WHERE run_id = ? AND seq = 1").run(tampered);
    db.close();

    expect((await cli(["audit", "verify", intact])).code).toBe(0);
    const all = await cli(["audit", "verify"]);
    expect(all).toEqual({
      code: 1,
      stdout:
        `broken  ${tampered}  audit record 1: the record's content no longer matches its hash (edited)\n` +
        "audit trail broken in 1 of 2 runs\n",
      stderr: "",
    });
    const json = JSON.parse((await cli(["audit", "verify", tampered, "--json"])).stdout) as {
      ok: boolean;
      runs: { runId: string; verdict: { ok: boolean; seq: number; problem: string } }[];
    };
    expect(json).toEqual({
      ok: false,
      runs: [{ runId: tampered, verdict: expect.objectContaining({ ok: false, seq: 1, problem: "edited" }) }],
    });
  });
});
