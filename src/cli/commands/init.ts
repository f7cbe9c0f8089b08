import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { PROJECT_CONFIG_FILE } from "../../config/project-config.js";
import { CharterError } from "../../errors.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { CONFIG_JSON, DIRECTORY_YAML, GITIGNORE_ENTRY, HANDLERS_MJS, HELLO_YAML } from "./init-templates.js";

interface InitFlags {
  force?: boolean;
}

const STARTER_FILES: readonly (readonly [string, string])[] = [
  [PROJECT_CONFIG_FILE, CONFIG_JSON],
  ["charters/hello.yaml", HELLO_YAML],
  ["handlers.mjs", HANDLERS_MJS],
  ["directory.yaml", DIRECTORY_YAML],
];

export function registerInit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("init")
    .description("create a project: charter.config.json, a starter charter, its handlers and a directory")
    .argument("[dir]", "the project folder (created if missing)", ".")
    .option("--force", "overwrite the starter files if they exist")
    .action(async (dir: string, flags: InitFlags) => {
      const root = path.resolve(io.cwd, dir);
      const shown = (file: string) => (dir === "." ? file : path.join(dir, file));
      if (!flags.force) {
        const existing = await existingFiles(root);
        if (existing.length > 0) {
          throw new CharterError(
            "USAGE",
            `not overwriting ${existing.map(shown).join(", ")}; run charter init --force to replace ${existing.length === 1 ? "it" : "them"}`,
            { details: { existing } },
          );
        }
      }
      for (const [file, content] of STARTER_FILES) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), content);
        io.stdout(`created ${shown(file)}\n`);
      }
      if (await addGitignoreEntry(root)) io.stdout(`added ${GITIGNORE_ENTRY} to ${shown(".gitignore")}\n`);
      io.stdout(nextSteps(dir));
      setExit(EXIT.ok);
    });
}

async function existingFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const [file] of STARTER_FILES) {
    if (await exists(path.join(root, file))) found.push(file);
  }
  return found;
}

/** Append `.charter/` to .gitignore (creating it) unless it is there; true when it changed. */
async function addGitignoreEntry(root: string): Promise<boolean> {
  const file = path.join(root, ".gitignore");
  const current = (await exists(file)) ? await readFile(file, "utf8") : "";
  const lines = current.split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(GITIGNORE_ENTRY) || lines.includes(GITIGNORE_ENTRY.slice(0, -1))) return false;
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  await writeFile(file, `${current}${separator}# the local Charter store\n${GITIGNORE_ENTRY}\n`);
  return true;
}

function nextSteps(dir: string): string {
  const cd = dir === "." ? "" : `  cd ${dir}\n`;
  return `
next steps:
${cd}  npm install charter        # handlers.mjs imports it (from a checkout: npm link charter)
  charter lint charters
  charter deploy
  charter start hello --input '{"name":"Ada","amount":250}' --as user:ivan
  charter worker --until-idle
  charter tasks --as user:fiona
`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false; // missing (or unreadable, which writing will report)
  }
}
