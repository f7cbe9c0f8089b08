import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../../test/helpers/cli.js";
import { expandCharterPatterns } from "./charter-patterns.js";
import { findProjectConfig, loadProjectConfig } from "./find-config.js";
import { loadHandlersModule } from "./handlers-module.js";
import { projectConfigJsonSchema } from "./json-schema.js";
import { resolveProjectConfig } from "./project-config.js";
import { formatStoreSpec, parseStoreSpec } from "./store-spec.js";

describe("resolveProjectConfig", () => {
  it("resolves paths against the config's folder and freezes the result", () => {
    const config = resolveProjectConfig(
      { store: "sqlite:data/c.db", handlers: "./h.mjs", directory: "dir.yaml", charters: ["flows/*.yaml"] },
      { root: "/p", file: "/p/charter.config.json" },
    );
    expect(config).toEqual({
      file: "/p/charter.config.json",
      root: "/p",
      store: { kind: "sqlite", path: "/p/data/c.db" },
      handlers: "/p/h.mjs",
      directory: "/p/dir.yaml",
      charters: ["/p/flows/*.yaml"],
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.charters)).toBe(true);
  });

  it("fills in the defaults", () => {
    expect(resolveProjectConfig({}, { root: "/p" })).toEqual({
      file: undefined,
      root: "/p",
      store: { kind: "sqlite", path: "/p/.charter/charter.db" },
      handlers: undefined,
      directory: undefined,
      charters: ["/p/charters/*.yaml", "/p/charters/*.yml", "/p/charters/*.json"],
    });
  });

  it("names the field and the file of a bad value", () => {
    const at = { root: "/p", file: "/p/charter.config.json" };
    expect(() => resolveProjectConfig({ handlers: 3 }, at)).toThrow(/^charter\.config\.json: handlers: /);
    expect(() => resolveProjectConfig({ charters: [] }, at)).toThrow(/charters must list at least one/);
    expect(() => resolveProjectConfig([], at)).toThrow(/^charter\.config\.json: /);
    try {
      resolveProjectConfig({ handler: "./h.mjs" }, at);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: "INVALID_OPTION",
        message: expect.stringMatching(/unknown field "handler"/),
      });
    }
  });
});

describe("parseStoreSpec", () => {
  it("resolves a sqlite path against the base folder", () => {
    expect(parseStoreSpec("sqlite:x.db", "/p", "--store")).toEqual({ kind: "sqlite", path: "/p/x.db" });
    expect(parseStoreSpec("sqlite:/abs/x.db", "/p", "--store")).toEqual({
      kind: "sqlite",
      path: "/abs/x.db",
    });
    expect(parseStoreSpec("SQLite:x.db", "/p", "--store").kind).toBe("sqlite");
  });

  it("refuses anything else with INVALID_OPTION, saying what to write", () => {
    for (const spec of ["x.db", "", "sqlite:", "sqlite:  ", "pg:x", "sqlite::memory:"]) {
      expect(() => parseStoreSpec(spec, "/p", "--store")).toThrow(/expected sqlite:PATH/);
    }
  });

  it("reads a PostgreSQL URL, takes the schema parameter out of it, and never shows its password", () => {
    const spec = parseStoreSpec(
      "postgresql://ops:s3cret@db.internal:5433/charter?schema=Flows%20A",
      "/p",
      "--store",
    );
    expect(spec).toEqual({
      kind: "postgres",
      connectionString: "postgresql://ops:s3cret@db.internal:5433/charter",
      schema: "Flows A",
    });
    expect(formatStoreSpec(spec, "/p")).toBe("postgresql://ops:***@db.internal:5433/charter?schema=Flows+A");
    expect(parseStoreSpec("postgres://127.0.0.1/test", "/p", "--store")).toEqual({
      kind: "postgres",
      connectionString: "postgres://127.0.0.1/test",
    });
  });

  it("refuses a PostgreSQL URL it cannot use, naming where it came from and hiding the password", () => {
    expect(() => parseStoreSpec("postgres://ops:s3cret@/db", "/p", "CHARTER_STORE")).toThrow(
      /^CHARTER_STORE "postgres:\/\/ops:\*\*\*@\/db": it is not a valid URL/,
    );
    expect(() => parseStoreSpec("postgres:///db", "/p", "--store")).toThrow(/it names no host/);
    expect(() => parseStoreSpec("postgres://h/db?schema=", "/p", "--store")).toThrow(
      /schema parameter is empty/,
    );
  });
});

describe("finding the config", () => {
  it("walks up from the working directory to the nearest charter.config.json", async () => {
    const dir = tempProject({ "charter.config.json": '{ "store": "sqlite:db/x.db" }', "a/b/.keep": "" });
    expect(await findProjectConfig(path.join(dir, "a/b"))).toBe(path.join(dir, "charter.config.json"));
    const config = await loadProjectConfig({ cwd: path.join(dir, "a/b") });
    expect(config.root).toBe(dir);
    expect(config.store).toEqual({ kind: "sqlite", path: path.join(dir, "db/x.db") });
  });

  it("uses the defaults at the working directory when there is none", async () => {
    const dir = tempProject({});
    const config = await loadProjectConfig({ cwd: dir });
    // (A config in a folder above the temp dir would be found; there is none in the OS temp dir.)
    expect(config.file).toBeUndefined();
    expect(config.store).toEqual({ kind: "sqlite", path: path.join(dir, ".charter/charter.db") });
  });

  it("reads the file given instead, relative to the working directory", async () => {
    const dir = tempProject({ "conf/other.json": '{ "handlers": "h.mjs" }' });
    const config = await loadProjectConfig({ cwd: dir, file: "conf/other.json" });
    expect(config.handlers).toBe(path.join(dir, "conf/h.mjs"));
    await expect(loadProjectConfig({ cwd: dir, file: "none.json" })).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
    });
  });
});

describe("expandCharterPatterns", () => {
  it("expands *, ? and ** in order, and keeps plain paths as they are", async () => {
    const dir = tempProject({
      "charters/b.yaml": "",
      "charters/a.yaml": "",
      "charters/notes.md": "",
      "charters/.hidden.yaml": "",
      "charters/deep/c.yaml": "",
      "charters/deep/er/d.yaml": "",
    });
    mkdirSync(path.join(dir, "empty"));
    const at = (...p: string[]) => p.map((x) => path.join(dir, x));
    expect(await expandCharterPatterns(at("charters/*.yaml"))).toEqual(
      at("charters/a.yaml", "charters/b.yaml"),
    );
    expect(await expandCharterPatterns(at("charters/?.yaml"))).toEqual(
      at("charters/a.yaml", "charters/b.yaml"),
    );
    expect(await expandCharterPatterns(at("charters/**/*.yaml"))).toEqual(
      at("charters/a.yaml", "charters/b.yaml", "charters/deep/c.yaml", "charters/deep/er/d.yaml"),
    );
    expect(await expandCharterPatterns(at("charters/*/c.yaml"))).toEqual(at("charters/deep/c.yaml"));
    expect(await expandCharterPatterns(at("empty/*.yaml", "missing/*.yaml"))).toEqual([]);
    expect(await expandCharterPatterns(at("charters", "charters"))).toEqual(at("charters"));
  });
});

describe("loadHandlersModule", () => {
  const handler = (name: string) => `{ name: "${name}", run: async () => ({}) }`;

  it("takes named exports, a default export and arrays, each handler once", async () => {
    const dir = tempProject({
      "named.mjs": `export const a = ${handler("a")};\nexport const b = ${handler("b")};\nexport const notOne = 3;\n`,
      "array.mjs": `const a = ${handler("a")};\nexport default [a, ${handler("b")}];\nexport { a };\n`,
      "single.mjs": `export default ${handler("only")};\n`,
      "typed.ts": `export const t: { name: string; run(): Promise<unknown> } = ${handler("t")};\n`,
    });
    const names = async (file: string) =>
      (await loadHandlersModule(path.join(dir, file), file)).map((h) => h.name);
    expect(await names("named.mjs")).toEqual(["a", "b"]);
    expect(await names("array.mjs")).toEqual(["a", "b"]);
    expect(await names("single.mjs")).toEqual(["only"]);
    expect(await names("typed.ts")).toEqual(["t"]);
  });

  it("refuses a module with no handler, two handlers of one name, or that does not load", async () => {
    const dir = tempProject({
      "none.mjs": "export const x = 1;\n",
      "twice.mjs": `export const a = ${handler("a")};\nexport const b = ${handler("a")};\n`,
      "throws.mjs": 'throw new Error("boom");\n',
      "needs-charter.mjs": 'import { defineAction } from "charter-package-that-is-missing";\n',
      "h.txt": "",
    });
    const load = (file: string) => loadHandlersModule(path.join(dir, file), file);
    await expect(load("none.mjs")).rejects.toThrow(
      /none\.mjs exports no handler; export the results of defineAction/,
    );
    await expect(load("twice.mjs")).rejects.toThrow(/exports two handlers named "a"/);
    await expect(load("throws.mjs")).rejects.toThrow(/cannot load handlers module throws\.mjs: boom/);
    await expect(load("needs-charter.mjs")).rejects.toMatchObject({ code: "MODULE_INVALID" });
    await expect(load("missing.mjs")).rejects.toMatchObject({ code: "MODULE_INVALID" });
    await expect(load("h.txt")).rejects.toThrow(/must be a \.js, \.mjs/);
  });
});

describe("projectConfigJsonSchema", () => {
  it("describes every field for editors", () => {
    const schema = projectConfigJsonSchema() as { properties: Record<string, { description?: string }> };
    for (const field of ["store", "handlers", "directory", "charters"]) {
      expect(schema.properties[field]?.description).toBeTruthy();
    }
  });
});
