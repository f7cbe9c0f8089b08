/**
 * The demo on a temporary store: every example deployed, each sample run where its path leads, and
 * the commands the report prints, run through the CLI in-process exactly as printed: the refused and
 * the accepted approval, the worker, the bank's confirmation, the run reaching paid, and the audit
 * chain verifying until a record is edited with raw SQL.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import type { DemoCommand, Report } from "./report.js";
import { formatReport } from "./report.js";
import type { DemoOutcome, DemoRun } from "./run-demo.js";
import { runDemo } from "./run-demo.js";
import { latest } from "./simulate.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = "node bin/charter.js";

let dir: string;
let db: string;
let config: string;
let outcome: DemoOutcome;
let report: Report;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "charter-demo-"));
  db = path.join(dir, "demo.db");
  config = path.join(dir, "charter.config.json");
  // The root config names the compiled handlers; tests use the same handlers from source (via tsx).
  writeFileSync(
    config,
    JSON.stringify({
      store: "sqlite:demo.db",
      handlers: path.join(ROOT, "src/demo/handlers.ts"),
      directory: path.join(ROOT, "examples/directory.yaml"),
      charters: [path.join(ROOT, "examples/*.yaml")],
    }),
  );
  outcome = await runDemo({ root: ROOT, config, storePath: db });
  report = formatReport(outcome, { storeFile: db });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI on the demo's store, with the project config that names the source handlers. */
function cli(argv: readonly string[]) {
  return runCli([...argv, "--store", `sqlite:${db}`, "--config", config], ROOT);
}

/** A printed command, read back as a POSIX shell would (quotes, `\` line continuations). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      if (text[i + 1] !== "\n") word = (word ?? "") + text[i + 1];
      i++;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Runs a command as the report prints it (and checks that the report does print it). */
async function run(command: DemoCommand) {
  expect(report.text).toContain(command.text);
  const words = shellWords(command.text);
  expect(words.slice(0, 2).join(" ")).toBe(CLI);
  // A JSON value may be printed across lines: the same JSON, with whitespace.
  const same = (word: string) => (word.startsWith("{") ? JSON.stringify(JSON.parse(word)) : word);
  expect(words.slice(2).map(same)).toEqual(command.argv);
  return cli(words.slice(2));
}

function sampleRun(id: string): DemoRun {
  const found = outcome.runs.find((r) => r.sample?.id === id);
  if (!found) throw new Error(`no run of sample ${id}`);
  return found;
}

describe("npm start's demo", () => {
  it("deploys every example charter, the same versions charter deploy makes", async () => {
    const examples = readdirSync(path.join(ROOT, "examples")).filter(
      (f) => f.endsWith(".yaml") && f !== "directory.yaml",
    );
    expect(outcome.deployed.map((d) => d.file).sort()).toEqual(examples.map((f) => `examples/${f}`).sort());
    const deploy = await cli(["deploy"]);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout.trim().split("\n")).toEqual(
      outcome.deployed.map((d) => `unchanged ${d.workflow}@${d.version.slice(0, 12)}`).sort(),
    );
  });

  it("leaves each sample run where its path leads, with nothing unexpected", () => {
    expect(report.problems).toEqual([]);
    expect(outcome.warnings).toEqual([]);

    expect(sampleRun("invoice-straight-through").state).toMatchObject({
      status: "completed",
      outcome: "paid",
    });

    const review = sampleRun("invoice-low-confidence");
    expect(latest(review.state, "extract")).toMatchObject({ confidence: 0.62 });
    expect(review.audit.map((r) => r.action)).toContain("proposal.sent-to-review");
    expect(latest(review.state, "review-extraction")).toMatchObject({
      status: "waiting",
      assignees: ["role:ap-clerk"],
    });

    const noPo = sampleRun("invoice-no-po");
    expect(noPo.audit.find((r) => r.action === "step.failed")).toMatchObject({
      step: "match-po",
      details: { code: "PO_NOT_FOUND", to: "request-po" },
    });
    expect(latest(noPo.state, "wait-for-po")?.subscription).toMatchObject({
      name: "purchase-order.released",
    });

    const late = sampleRun("invoice-late-approval");
    expect(late.audit.find((r) => r.action === "task.escalated")).toMatchObject({
      step: "approve-manager",
      details: { added: ["role:finance-director"] },
    });
    const lateTask = outcome.tasks.find((t) => t.task.runId === late.summary.runId)!;
    expect(lateTask.task.assignees).toEqual(["role:finance-manager", "role:finance-director"]);
    expect(lateTask.deciders).toContain("user:hannah.lindqvist");

    const failing = sampleRun("invoice-bank-failing");
    expect(outcome.exceptions).toEqual([
      expect.objectContaining({
        runId: failing.summary.runId,
        stepId: "schedule-payment",
        error: expect.objectContaining({ code: "BANK_UNAVAILABLE" }),
      }),
    ]);
    expect(failing.audit.filter((r) => r.action === "step.retry-scheduled")).toHaveLength(2);

    const onboarding = sampleRun("onboarding");
    expect(onboarding.children.map((c) => c.summary.workflow)).toEqual(["it-provisioning"]);
    const device = Object.values(onboarding.children[0]!.state.steps).find(
      (i) => i.stepId === "prepare-device",
    );
    expect(device).toMatchObject({ status: "waiting", assignees: ["role:endpoint-technician"] });
    for (const id of ["vendor-pep-match", "expense-claim", "support-ticket"])
      expect(sampleRun(id).summary.status).toBe("running");
  });

  it("prints plain text that fits 100 columns, with a decide command for every open task", () => {
    expect(report.text).not.toContain("\u001b[");
    expect(report.text.split("\n").filter((line) => line.length > 100)).toEqual([]);
    for (const heading of ["What happened", "Inbox: 7 open tasks", "Exception queue: 1", "Try it"])
      expect(report.text).toContain(heading);
    const unwrapped = report.text.replace(/\n +/g, " ");
    expect(unwrapped).toContain("approve-manager overdue, escalated to role:finance-director after 1d");
    expect(unwrapped).toContain("schedule-payment failed BANK_UNAVAILABLE 3 times -> the exception queue");
    expect(unwrapped).toContain("extract (confidence 0.62, unsure of number, total): sent to review");
    expect(unwrapped).toContain("match-po failed PO_NOT_FOUND -> request-po (request RPO-");
    expect(report.commands.decide.map((d) => d.taskId).sort()).toEqual(
      outcome.tasks.map((t) => t.task.taskId).sort(),
    );
  });

  it("walks the invoice to paid with the printed commands; audit verify fails once a record is edited", async () => {
    const t = report.commands.tryThis!;
    const inbox = await run(t.inbox);
    expect(inbox.stdout).toContain(t.taskId);

    const refused = await run(t.refused);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("[FORBIDDEN]");

    expect(await run(t.approve)).toMatchObject({ code: 0, stderr: "" });
    expect(await run(t.worker)).toMatchObject({ code: 0, stderr: "" });
    expect((await run(t.event)).stdout).toContain("delivered payment.executed to 1 run");
    const inspect = await run(t.inspect);
    expect(inspect.stdout).toMatch(/^outcome {4}paid \(success\)$/m);

    const verified = await run(t.verify);
    expect(verified).toMatchObject({ code: 0, stderr: "" });
    expect(verified.stdout).toMatch(/^audit trail intact/);

    const tamper = /node -e '([\s\S]*?)\n {4}'\n/.exec(report.text)?.[1];
    expect(tamper?.replace(/\n\s*/g, "")).toBe(t.tamper.replace(/\n\s*/g, ""));
    execFileSync(process.execPath, ["-e", tamper!], { cwd: ROOT });
    const broken = await run(t.verify);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`broken  ${t.runId}  audit record`);
    expect(broken.stdout).toContain("(edited)");
  });

  it("every other printed decision and the exception retry are accepted", async () => {
    const tryThis = report.commands.tryThis!.taskId;
    for (const { taskId, command } of report.commands.decide) {
      if (taskId === tryThis) continue;
      expect({ taskId, ...(await run(command)) }).toMatchObject({ taskId, code: 0, stderr: "" });
    }
    const [exception] = report.commands.exceptions;
    expect(await run(exception!.retry)).toMatchObject({ code: 0, stderr: "" });
    expect(await run(report.commands.tryThis!.worker)).toMatchObject({ code: 0, stderr: "" });
    const retried = await cli(["inspect", exception!.runId, "--json"]);
    const view = JSON.parse(retried.stdout) as { current: { step: string }[] };
    expect(view.current.map((c) => c.step)).toEqual(["wait-payment"]);
    expect((await cli(["exceptions"])).stdout).toBe("no exceptions\n");
  });
});
