import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../../test/helpers/cli.js";
import { EXAMPLE_BASE_YAML, MINIMAL_YAML } from "../../test/helpers/charters.js";
import { CHARTER_VERSION } from "../version.js";

/** The minimal charter with an approval assigned to a role that has no members listed. */
const WITH_APPROVAL = MINIMAL_YAML.replace(
  "start: check",
  "roles:\n  reviewer: { description: Reviews requests }\nstart: check",
)
  .replace("    next: done\n", "    next: approve\n")
  .replace(
    "  done: { kind: end, outcome: done }",
    "  approve:\n    kind: approval\n    owner: role:reviewer\n    assignee: role:reviewer\n    not_by: [initiator]\n    require_reason: true\n    due: 1d\n    expire: { after: 3d, goto: done }\n    outcomes: { approved: done, rejected: done }\n  done: { kind: end, outcome: done }",
  );

const BROKEN = MINIMAL_YAML.replace("    timeout: 30s\n", "").replace(
  "    kind: action\n",
  "    kind: action\n    colour: blue\n",
);

describe("charter lint", () => {
  it("exits 0 and says so when every charter is clean", async () => {
    const dir = tempProject({ "a.yaml": MINIMAL_YAML });
    const run = await runCli(["lint", "a.yaml"], dir);
    expect(run).toEqual({ code: 0, stdout: "1 file checked: no problems\n", stderr: "" });
  });

  it("prints file:line:col  severity  message  rule-id and exits 1 on errors", async () => {
    const dir = tempProject({
      "a.yaml": MINIMAL_YAML,
      "b.yaml": BROKEN.replace("workflow: minimal", "workflow: broken"),
    });
    const run = await runCli(["lint", "a.yaml", "b.yaml"], dir);
    expect(run.code).toBe(1);
    // An unknown field does not hide the other findings of the file.
    expect(run.stdout.split("\n")).toEqual([
      'b.yaml:20:3  error  action "check" has no timeout; add timeout: <duration> (e.g. timeout: 30s) so that a handler that hangs is aborted, then retried or routed  exceptions/action-timeout',
      'b.yaml:22:5  error  unknown field "colour" in steps.check. Expected one of: kind, owner, title, purpose, handler, input, timeout, retry, on_error, irreversible, idempotency, next.  schema/unknown-field',
      "2 files checked: 2 errors, 0 warnings",
      "",
    ]);
    expect(run.stderr).toBe("");
  });

  it("reports lint rule findings once the schema is satisfied", async () => {
    const dir = tempProject({ "b.yaml": MINIMAL_YAML.replace("    timeout: 30s\n", "") });
    const run = await runCli(["lint", "b.yaml"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^b\.yaml:20:3 {2}error {2}.*timeout.* {2}exceptions\/action-timeout$/m);
  });

  it("writes machine-readable JSON with --format json", async () => {
    const dir = tempProject({
      "a.yaml": MINIMAL_YAML,
      "b.yaml": BROKEN.replace("workflow: minimal", "workflow: broken"),
    });
    const run = await runCli(["lint", "--format", "json", "a.yaml", "b.yaml"], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      errorCount: number;
      files: { file: string; workflow: string | null; errorCount: number }[];
      diagnostics: { ruleId: string; line: number; col: number; path: unknown[] }[];
    };
    expect(report.errorCount).toBe(2);
    expect(report.files.map((f) => [f.file, f.workflow, f.errorCount])).toEqual([
      ["a.yaml", "minimal", 0],
      ["b.yaml", "broken", 2],
    ]);
    expect(report.diagnostics[1]).toMatchObject({
      ruleId: "schema/unknown-field",
      line: 22,
      col: 5,
      path: ["steps", "check", "colour"],
    });
  });

  it("lints every charter in a folder", async () => {
    const dir = tempProject({
      "flows/a.yaml": MINIMAL_YAML,
      "flows/b.json": JSON.stringify({ charter: 2 }),
      "flows/notes.txt": "not a charter",
    });
    const run = await runCli(["lint", "flows"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^flows\/b\.json:1:\d+ {2}error {2}"charter" must be 1/m);
    expect(run.stdout).toMatch(/2 files checked/);
  });

  it("refuses two files that define the same workflow id", async () => {
    const dir = tempProject({ "a.yaml": MINIMAL_YAML, "b.yaml": MINIMAL_YAML });
    const run = await runCli(["lint", "a.yaml", "b.yaml"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^b\.yaml:3:11 {2}error {2}workflow id "minimal" is already defined in a\.yaml.* {2}defined\/duplicate-workflow$/m,
    );
  });

  it("fails on too many warnings with --max-warnings", async () => {
    const dir = tempProject({ "a.yaml": EXAMPLE_BASE_YAML });
    const lenient = await runCli(["lint", "a.yaml"], dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/1 file checked: 0 errors, 2 warnings/);
    expect((await runCli(["lint", "--max-warnings", "2", "a.yaml"], dir)).code).toBe(0);
    expect((await runCli(["lint", "--max-warnings", "1", "a.yaml"], dir)).code).toBe(1);
  });

  it("applies limits given as flags", async () => {
    const dir = tempProject({ "a.yaml": MINIMAL_YAML });
    const run = await runCli(["lint", "--max-bytes", "100", "a.yaml"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^a\.yaml:1:1 {2}error {2}file is \d+ bytes; the limit is 100 \(option maxBytes\).* {2}limits\/file-size$/m,
    );
  });

  it("exits 2 with a one-line message and no stack trace for a missing file", async () => {
    const run = await runCli(["lint", "nope.yaml"], tempProject({}));
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "charter lint: cannot read nope.yaml: no such file [FILE_NOT_FOUND]\n",
    });
  });

  it("refuses a device or a pipe instead of reading it forever", async () => {
    expect(await runCli(["lint", "/dev/zero"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "charter lint: /dev/zero is not a regular file [FILE_NOT_FOUND]\n",
    });
  });

  it("exits 2 on usage errors, suggesting the closest command", async () => {
    const run = await runCli(["lnt", "a.yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'lnt'[\s\S]*Did you mean lint\?/);
    const badFlag = await runCli(["lint", "--max-bytes", "lots", "a.yaml"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--max-bytes needs a whole number, got "lots"/);
    expect((await runCli(["lint", "--format", "xml", "a.yaml"])).stderr).toMatch(
      /Allowed choices are text, json/,
    );
  });

  it("lints charters exported by TypeScript and JavaScript modules", async () => {
    const ts = await runCli(["lint", "test/fixtures/modules/refund.charter.ts"]);
    expect(ts).toMatchObject({ code: 0, stdout: "1 file checked: no problems\n" });
    const js = await runCli(["lint", "test/fixtures/modules/broken.charter.mjs"]);
    expect(js.code).toBe(1);
    // A module has no YAML positions: the finding names the file and the field path instead.
    expect(js.stdout).toMatch(
      /^test\/fixtures\/modules\/broken\.charter\.mjs:steps\.work {2}error {2}.*"work".* {2}exceptions\/action-timeout$/m,
    );
  });

  it("reports every problem of a TypeScript charter that defineWorkflow refused, by field path", async () => {
    const run = await runCli(["lint", "test/fixtures/modules/typo.charter.ts"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^test\/fixtures\/modules\/typo\.charter\.ts:steps\.work\.timout {2}error {2}unknown field "timout".*Did you mean "timeout"\? {2}schema\/unknown-field$/m,
    );
  });

  it("refuses an object that contains itself, and a module that fails to load, without a stack trace", async () => {
    const cyclic = await runCli(["lint", "test/fixtures/modules/cyclic.charter.mjs"]);
    expect(cyclic.code).toBe(1);
    expect(cyclic.stdout).toMatch(/contains itself {2}limits\/depth$/m);
    const throws = await runCli(["lint", "test/fixtures/modules/throws.charter.mjs"]);
    expect(throws).toMatchObject({ code: 2, stdout: "" });
    expect(throws.stderr).toBe(
      "charter lint: cannot load test/fixtures/modules/throws.charter.mjs: database credentials missing [MODULE_INVALID]\n",
    );
  });

  it("reads role members from the directory file a charter names", async () => {
    const charter = WITH_APPROVAL.replace("roles:\n", "directory: ./people.yaml\nroles:\n");
    const dir = tempProject({
      "a.yaml": charter,
      "people.yaml": "directory: 1\nroles:\n  reviewer: [user:rita]\n",
    });
    expect(await runCli(["lint", "a.yaml", "people.yaml"], dir)).toMatchObject({
      code: 0,
      stdout: "2 files checked: no problems\n",
    });
    // No directory: the project's directory may list the role.
    expect(await runCli(["lint", "a.yaml"], tempProject({ "a.yaml": WITH_APPROVAL }))).toMatchObject({
      code: 0,
      stdout: "1 file checked: no problems\n",
    });
    // A directory that does not list the role: nobody holds it.
    const unlisted = tempProject({
      "a.yaml": charter,
      "people.yaml": "directory: 1\nroles:\n  auditor: [user:ann]\n",
    });
    expect((await runCli(["lint", "a.yaml"], unlisted)).stdout).toMatch(/warning .*defined\/role-members$/m);
    const missing = await runCli(["lint", "a.yaml"], tempProject({ "a.yaml": charter }));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /^a\.yaml:18:12 {2}error {2}cannot read directory file \.\/people\.yaml: no such file {2}schema\/directory$/m,
    );
    const malformed = tempProject({ "people.yaml": "directory: 1\nroles:\n  reviewer: rita\n" });
    expect((await runCli(["lint", "people.yaml"], malformed)).stdout).toMatch(
      /^people\.yaml:3:13 {2}error {2}directory roles\.reviewer: .* {2}schema\/directory$/m,
    );
  });

  it("prints the language's JSON Schema and its version", async () => {
    const schema = await runCli(["schema"]);
    expect(JSON.parse(schema.stdout)).toMatchObject({
      $id: expect.stringContaining("charter"),
      required: expect.arrayContaining(["charter", "workflow", "steps", "owner", "triggers"]),
    });
    expect(await runCli(["--version"])).toMatchObject({ code: 0, stdout: `${CHARTER_VERSION}\n` });
  });
});
