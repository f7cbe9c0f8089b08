import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { expandCharterPatterns } from "../../config/charter-patterns.js";
import { displayPath } from "../../config/find-config.js";
import { MODULE_EXTENSIONS } from "../../config/import-module.js";
import { hasErrors } from "../../definition/diagnostic.js";
import { shortHash } from "../../docs/hash.js";
import { CharterError } from "../../errors.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatDiagnostics, formatJson } from "../output.js";
import type { Project } from "../project.js";
import { openProject, readProjectHandlers, withEngine } from "../project.js";
import type { CheckedCharter } from "./check-charters.js";
import { checkCharters } from "./check-charters.js";
import type { GlobalOptions, StoreFlags } from "./options.js";
import { jsonOption, limitOptions, resolveLimitsFromFlags, storeOptions } from "./options.js";

interface DeployFlags extends GlobalOptions, StoreFlags {
  json?: boolean;
}

export function registerDeploy(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("deploy")
    .description(
      "lint charters, then store each as an immutable version; refuses (exit 1) while any has an error",
    )
    .argument("[files...]", "charter files or folders (default: the config's charters)")
    .addOption(jsonOption("print what was deployed as JSON"));
  limitOptions(storeOptions(command)).action(async (files: string[], flags: DeployFlags) => {
    const project = await openProject(flags, io);
    const paths = files.length > 0 ? files : await configCharters(project, io.cwd);
    const handlers = await readProjectHandlers(project.config, io.cwd);
    const result = await checkCharters(paths, {
      cwd: io.cwd,
      limits: resolveLimitsFromFlags(flags),
      // Without a handlers module the names cannot be checked; the worker will report them.
      ...(project.config.handlers !== undefined ? { handlers: handlers.map((h) => h.name) } : {}),
    });
    if (hasErrors(result.diagnostics)) {
      io.stdout(formatDiagnostics(result.diagnostics, result.fileCount, io.isTty));
      throw new CharterError(
        "DEFINITION_INVALID",
        "nothing deployed: fix the errors above first (see charter lint)",
        {
          details: { diagnostics: result.diagnostics },
        },
      );
    }
    if (result.charters.length === 0) {
      throw new CharterError("FILE_NOT_FOUND", `no charter among ${paths.join(", ")}`);
    }
    const deployed = await withEngine(
      flags,
      io,
      async (engine) => {
        const done = [];
        for (const checked of result.charters) {
          const version = await engine.deploy(checked.loaded.charter!, await sourceText(checked, io.cwd));
          done.push({ file: checked.file, ...version });
        }
        return done;
      },
      { project },
    );
    if (flags.json) io.stdout(formatJson({ deployed }));
    else {
      for (const d of deployed) {
        io.stdout(`${d.created ? "deployed" : "unchanged"} ${d.workflow}@${shortHash(d.version)}\n`);
      }
    }
    setExit(EXIT.ok);
  });
}

/** The config's `charters` patterns, expanded, as paths relative to the working directory. */
async function configCharters(project: Project, cwd: string): Promise<string[]> {
  const found = await expandCharterPatterns(project.config.charters);
  if (found.length === 0) {
    const where = project.config.file ? displayPath(project.config.file, cwd) : "the default";
    const patterns = project.config.charters.map((p) => displayPath(p, cwd)).join(", ");
    throw new CharterError(
      "FILE_NOT_FOUND",
      `no charter to deploy: ${where} charters (${patterns}) match no file; name them: charter deploy FILE...`,
    );
  }
  return found.map((p) => displayPath(p, cwd));
}

/** What the version stores as its source: the file's text, or the module's charter as JSON. */
async function sourceText(checked: CheckedCharter, cwd: string): Promise<string> {
  const [file] = checked.file.split("#");
  if (MODULE_EXTENSIONS.includes(path.extname(file!)))
    return JSON.stringify(checked.loaded.value, null, 2) + "\n";
  return readFile(path.resolve(cwd, file!), "utf8");
}
