import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../../test/helpers/cli.js";
import { loadHandlersModule } from "../config/handlers-module.js";

const STARTER = ["charter.config.json", "charters/hello.yaml", "handlers.mjs", "directory.yaml"];

describe("charter init", () => {
  it("creates a config, a starter charter that lints clean, handlers, a directory and a .gitignore entry", async () => {
    const dir = tempProject({});
    const run = await runCli(["init"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(
      /^created charter\.config\.json\ncreated charters\/hello\.yaml\ncreated handlers\.mjs\ncreated directory\.yaml\nadded \.charter\/ to \.gitignore\n\nnext steps:\n/,
    );
    for (const file of STARTER) expect(existsSync(path.join(dir, file))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "charter.config.json"), "utf8"))).toEqual({
      store: "sqlite:.charter/charter.db",
      handlers: "./handlers.mjs",
      directory: "./directory.yaml",
      charters: ["charters/*.yaml"],
    });
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toMatch(/^\.charter\/$/m);
    // The starter uses every kind of check a production charter needs, and lints clean with its handlers.
    const hello = readFileSync(path.join(dir, "charters/hello.yaml"), "utf8");
    for (const kind of ["action", "decision", "approval", "end"]) expect(hello).toContain(`kind: ${kind}`);
    expect(hello).toMatch(/due: 1d/);
    expect(hello).toMatch(/expire: \{ after: 3d/);
    expect(await runCli(["lint", "charters", "--handlers", "hello.prepare,hello.send"], dir)).toEqual({
      code: 0,
      stdout: "1 file checked: no problems\n",
      stderr: "",
    });
    expect((await runCli(["lint", "directory.yaml"], dir)).code).toBe(0);
  });

  it("writes a handlers module that registers every handler the starter charter names", async () => {
    const dir = tempProject({});
    await runCli(["init"], dir);
    const generated = readFileSync(path.join(dir, "handlers.mjs"), "utf8");
    expect(generated).toContain('import { defineAction } from "charter";');
    // Outside an installed project "charter" does not resolve: point the import at this checkout.
    const source = pathToFileURL(path.resolve("src/index.ts")).href;
    writeFileSync(path.join(dir, "handlers.ts"), generated.replace('"charter"', JSON.stringify(source)));
    const handlers = await loadHandlersModule(path.join(dir, "handlers.ts"), "handlers.ts");
    expect(handlers.map((h) => h.name)).toEqual(["hello.prepare", "hello.send"]);
  });

  it("creates the folder it is given", async () => {
    const dir = tempProject({});
    const run = await runCli(["init", "my-project"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^created my-project\/charter\.config\.json$/m);
    expect(run.stdout).toMatch(/^ {2}cd my-project$/m);
    expect(existsSync(path.join(dir, "my-project/charters/hello.yaml"))).toBe(true);
  });

  it("refuses to overwrite, naming the files, unless --force", async () => {
    const dir = tempProject({ "directory.yaml": "mine\n", "charters/hello.yaml": "mine too\n" });
    const run = await runCli(["init"], dir);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "charter init: not overwriting charters/hello.yaml, directory.yaml; run charter init --force to replace them [USAGE]\n",
    });
    expect(existsSync(path.join(dir, "charter.config.json"))).toBe(false);
    expect(readFileSync(path.join(dir, "directory.yaml"), "utf8")).toBe("mine\n");
    const forced = await runCli(["init", "--force"], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "directory.yaml"), "utf8")).toMatch(/^directory: 1$/m);
  });

  it("adds the .gitignore entry once, keeping what is there", async () => {
    const dir = tempProject({ ".gitignore": "node_modules" });
    await runCli(["init"], dir);
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules\n# the local Charter store\n.charter/\n",
    );
    const again = await runCli(["init", "--force"], dir);
    expect(again.stdout).not.toMatch(/gitignore/);
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules\n# the local Charter store\n.charter/\n",
    );
  });
});

describe("charter schema", () => {
  it("prints the schema of charters, directory files or the project config", async () => {
    const charter = JSON.parse((await runCli(["schema"])).stdout) as { title: string };
    expect(charter.title).toMatch(/Charter workflow definition/);
    const config = JSON.parse((await runCli(["schema", "config"])).stdout) as { properties: object };
    expect(Object.keys(config.properties)).toEqual(["$schema", "store", "handlers", "directory", "charters"]);
    expect((await runCli(["schema", "directory"])).code).toBe(0);
    expect((await runCli(["schema", "nope"])).code).toBe(2);
  });
});
