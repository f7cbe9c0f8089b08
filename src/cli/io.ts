/** What the CLI touches of its process, passed in so that tests run `main(argv, io)` in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours); false in tests and pipes. */
  readonly isTty: boolean;
  /**
   * For long-running commands (`charter worker`): a signal that aborts when the process is asked to
   * stop (SIGINT, SIGTERM). Call `dispose` when done. Absent: the command runs until its work ends.
   */
  onShutdown?(): ShutdownSignal;
}

export interface ShutdownSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    onShutdown: processShutdown,
  };
}

/**
 * The first SIGINT or SIGTERM asks for a graceful stop; the handlers are `once`, so a second one
 * gets Node's default behaviour and ends the process at once.
 */
function processShutdown(): ShutdownSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

/**
 * Exit codes: 0 done (lint warnings allowed); 1 findings or refusals (lint errors, stale docs, a
 * refused decision, an input the schema rejects, a broken audit chain); 2 usage, config, file or
 * not-found errors (the command could not be carried out as written).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
