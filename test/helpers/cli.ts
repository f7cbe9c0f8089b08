/** Run the CLI in-process with captured output (no child process, no exit). */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The environment the CLI sees (e.g. CHARTER_STORE). @default {} */
  readonly env?: Record<string, string>;
  /** Stands for SIGINT/SIGTERM: a long-running command (worker) stops when it aborts. */
  readonly shutdown?: AbortSignal;
}

export async function runCli(argv: string[], cwd = process.cwd(), options: CliOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const { shutdown } = options;
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    env: options.env ?? {},
    isTty: false,
    ...(shutdown ? { onShutdown: () => ({ signal: shutdown, dispose: () => {} }) } : {}),
  });
  return { code, stdout, stderr };
}

/** A fresh folder with the given files (relative path -> content). */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "charter-test-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
