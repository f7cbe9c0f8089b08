import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatJson } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface WorkerFlags extends StoreFlags {
  untilIdle?: boolean;
  concurrency?: number;
  json?: boolean;
}

export function registerWorker(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("worker")
    .description(
      "run handlers and fire timers with the config's handlers module; stops gracefully on SIGINT or SIGTERM",
    )
    .option("--until-idle", "stop when nothing is ready to run now (timers due later are left)")
    .option("--concurrency <n>", "jobs run at once (default 8)", parsePositive)
    .addOption(jsonOption("print { done } as JSON (with --until-idle)"));
  storeOptions(command).action(async (flags: WorkerFlags) => {
    const setup = {
      handlers: true,
      ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    };
    await withEngine(
      flags,
      io,
      async (engine, project) => {
        if (project.config.handlers === undefined) {
          io.stderr(
            "charter worker: no handlers module in the config; action steps will fail until one is set\n",
          );
        }
        if (flags.untilIdle) {
          const done = await engine.runUntilIdle();
          if (flags.json) io.stdout(formatJson({ done }));
          else io.stdout(`idle: handled ${done === 1 ? "1 job or timer" : `${done} jobs and timers`}\n`);
          return;
        }
        const shutdown = io.onShutdown?.();
        const signal = shutdown?.signal ?? new AbortController().signal;
        io.stderr("worker started; Ctrl-C stops it after the jobs in flight\n");
        try {
          await engine.runWorker({ signal });
        } finally {
          shutdown?.dispose();
        }
        io.stderr("worker stopped\n");
      },
      setup,
    );
    setExit(EXIT.ok);
  });
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`--concurrency needs a whole number of 1 or more, got "${value}"`);
  return n;
}
