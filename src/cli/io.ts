/** What the CLI touches of its process, passed in so that tests run `main(argv, io)` in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours); false in tests and pipes. */
  readonly isTty: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Exit codes: 0 clean (warnings allowed), 1 findings (lint errors, stale docs), 2 usage or I/O error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
