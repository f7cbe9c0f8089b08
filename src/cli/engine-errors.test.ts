/** Every mistake a user can make with the engine commands: a clear message, a code, no stack trace. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliRun } from "../../test/helpers/cli.js";
import { runCli, tempProject } from "../../test/helpers/cli.js";
import { MINIMAL_YAML } from "../../test/helpers/charters.js";

let dir: string;
let cli: (argv: string[]) => Promise<CliRun>;

/** One message line on stderr, ending with the code; nothing on stdout. */
function expectError(run: CliRun, code: number, errorCode: string, message: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(new RegExp(`^charter [a-z ]+: .+ \\[${errorCode}\\]\\n$`));
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  dir = tempProject({ "minimal.yaml": MINIMAL_YAML });
  const store = `sqlite:${path.join(dir, "x.db")}`;
  cli = (argv) => runCli([...argv, "--store", store], dir);
  expect((await cli(["deploy", "minimal.yaml"])).code).toBe(0);
});

describe("engine command errors", () => {
  it("names an unknown workflow", async () => {
    expectError(await cli(["start", "nope", "--input", "{}", "--as", "user:ivan"]), 2, "NOT_FOUND", /nope/);
  });

  it("refuses input that is not JSON, inline or in a file", async () => {
    expectError(
      await cli(["start", "minimal", "--input", "{requestId: 1}", "--as", "user:ivan"]),
      2,
      "INVALID_OPTION",
      /--input is not valid JSON .*; pass JSON such as --input '\{"name":"Ada"\}', or --input @FILE/,
    );
    writeFileSync(path.join(dir, "bad.json"), "not json");
    expectError(
      await cli(["start", "minimal", "--input", "@bad.json", "--as", "user:ivan"]),
      2,
      "INVALID_OPTION",
      /--input @bad\.json is not valid JSON/,
    );
    expectError(
      await cli(["start", "minimal", "--input", "@missing.json", "--as", "user:ivan"]),
      2,
      "FILE_NOT_FOUND",
      /cannot read missing\.json \(--input\): no such file/,
    );
  });

  it("refuses input that fails the charter's schema, naming the field", async () => {
    const run = await cli(["start", "minimal", "--input", '{"requestId": 7}', "--as", "user:ivan"]);
    expectError(run, 1, "INPUT_INVALID", /requestId/);
    const missing = await cli(["start", "minimal", "--input", "{}", "--as", "user:ivan"]);
    expectError(missing, 1, "INPUT_INVALID", /requestId/);
  });

  it("needs --as, and a person in it", async () => {
    const missing = await cli(["start", "minimal", "--input", "{}"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--as <actor>' not specified/);
    expectError(
      await cli(["start", "minimal", "--input", '{"requestId":"r"}', "--as", "ivan"]),
      2,
      "INVALID_OPTION",
      /--as "ivan" is not a person; write user:ID, e.g. --as user:fiona \(did you mean --as user:ivan\?\)/,
    );
    expectError(
      await cli(["tasks", "--as", "role:approver"]),
      2,
      "INVALID_OPTION",
      /"role:approver" is not a person/,
    );
    const decide = await cli(["decide", "t-1", "--outcome", "approved"]);
    expect(decide.code).toBe(2);
    expect(decide.stderr).toMatch(/required option '--as <actor>' not specified/);
  });

  it("names an unknown task", async () => {
    expectError(
      await cli(["decide", "no-such-task", "--as", "user:fiona", "--outcome", "approved", "--reason", "ok"]),
      2,
      "NOT_FOUND",
      /no-such-task/,
    );
  });

  it("names an unknown run", async () => {
    expectError(await cli(["inspect", "no-such-run"]), 2, "NOT_FOUND", /no run "no-such-run"/);
    expectError(await cli(["audit", "verify", "no-such-run"]), 2, "NOT_FOUND", /no-such-run/);
    expectError(
      await cli(["exceptions", "cancel", "no-such-run", "--as", "user:fiona", "--reason", "stop"]),
      2,
      "NOT_FOUND",
      /no-such-run/,
    );
  });

  it("refuses a malformed --store, CHARTER_STORE or config store", async () => {
    for (const spec of ["x.db", "postgres:x", "sqlite:", "sqlite::memory:", "C:\\x.db"]) {
      const run = await runCli(["runs", "--store", spec], dir);
      expectError(run, 2, "INVALID_OPTION", /expected sqlite:PATH \(e\.g\. sqlite:\.charter\/charter\.db\)/);
      expect(run.stderr).toContain(`--store "${spec}"`);
    }
    expectError(
      await runCli(["runs"], dir, { env: { CHARTER_STORE: "x.db" } }),
      2,
      "INVALID_OPTION",
      /^charter runs: CHARTER_STORE "x\.db"/,
    );
    const configured = tempProject({ "charter.config.json": '{ "store": "mysql:x" }' });
    expectError(
      await runCli(["runs"], configured),
      2,
      "INVALID_OPTION",
      /charter\.config\.json: store: store must be "sqlite:PATH"/,
    );
  });

  it("refuses a config file that is not JSON or has unknown fields", async () => {
    const notJson = tempProject({ "charter.config.json": "{ store: x }" });
    expectError(
      await runCli(["runs"], notJson),
      2,
      "INVALID_OPTION",
      /charter\.config\.json is not valid JSON/,
    );
    const unknown = tempProject({ "charter.config.json": '{ "stores": "sqlite:x.db" }' });
    expectError(
      await runCli(["runs"], unknown),
      2,
      "INVALID_OPTION",
      /unknown field "stores". Expected one of: \$schema, store, handlers, directory, charters/,
    );
    expectError(
      await runCli(["runs", "--config", "nope.json"], dir),
      2,
      "FILE_NOT_FOUND",
      /cannot read nope\.json/,
    );
  });

  it("refuses to deploy a charter with lint errors, listing them", async () => {
    const broken = tempProject({ "b.yaml": MINIMAL_YAML.replace("    timeout: 30s\n", "") });
    const run = await runCli(["deploy", "b.yaml", "--store", `sqlite:${path.join(broken, "x.db")}`], broken);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^b\.yaml:\d+:\d+ {2}error {2}.*exceptions\/action-timeout\n1 file checked: 1 error, 0 warnings\n$/,
    );
    expect(run.stderr).toBe(
      "charter deploy: nothing deployed: fix the errors above first (see charter lint) [DEFINITION_INVALID]\n",
    );
  });

  it("checks handler names against the config's handlers module when deploying", async () => {
    const project = tempProject({
      "charter.config.json": '{ "handlers": "./handlers.mjs", "charters": ["*.yaml"] }',
      "handlers.mjs": 'export default [{ name: "other.handler", run: async () => ({}) }];\n',
      "minimal.yaml": MINIMAL_YAML,
    });
    const run = await runCli(["deploy"], project);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /handler "requests\.check", which is not registered.*defined\/unknown-handler/,
    );
  });

  it("says when the config's charters match nothing, and when the handlers module cannot load", async () => {
    const empty = tempProject({ "charter.config.json": "{}" });
    expectError(
      await runCli(["deploy"], empty),
      2,
      "FILE_NOT_FOUND",
      /charters \(charters\/\*\.yaml, .*\) match no file/,
    );
    const badModule = tempProject({
      "charter.config.json": '{ "handlers": "./handlers.mjs" }',
      "handlers.mjs": 'import { defineAction } from "charter-not-installed";\n',
    });
    expectError(
      await runCli(["worker", "--until-idle"], badModule),
      2,
      "MODULE_INVALID",
      /cannot load handlers module handlers\.mjs/,
    );
    const noHandlers = tempProject({
      "charter.config.json": '{ "handlers": "./h.mjs" }',
      "h.mjs": "export const x = 1;\n",
    });
    expectError(
      await runCli(["worker", "--until-idle"], noHandlers),
      2,
      "MODULE_INVALID",
      /exports no handler/,
    );
  });

  it("refuses --data and --key mistakes for events", async () => {
    const missingKey = await cli(["event", "po.received"]);
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toMatch(/required option '--key <key>' not specified/);
    expectError(
      await cli(["event", "po.received", "--key", "k", "--data", "{"]),
      2,
      "INVALID_OPTION",
      /--data is not valid JSON/,
    );
    expect(await cli(["event", "po.received", "--key", "k"])).toEqual({
      code: 0,
      stdout: "no run is waiting for po.received with key k\n",
      stderr: "",
    });
  });
});
