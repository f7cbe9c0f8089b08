/** Checks and errors of a commit, the same for both stores. */
import type { Command, CommandOf } from "../../engine/commands.js";
import type { TransitionWrite } from "../store.js";

/** Mistakes of the caller, not races: thrown, never turned into `false`. */
export function checkWrite(write: TransitionWrite): void {
  if (write.state.runId !== write.runId) {
    throw new Error(`commitTransition: the state is of run ${write.state.runId}, not ${write.runId}`);
  }
  if (write.state.seq !== write.expectedSeq + 1) {
    throw new Error(
      `commitTransition: run ${write.runId}: state.seq must be expectedSeq + 1 (${write.expectedSeq + 1}), not ${write.state.seq}`,
    );
  }
}

/** The commands of `appendAudit`, checked: append-audit commands only. */
export function auditCommands(commands: readonly Command[]): CommandOf<"append-audit">[] {
  return commands.map((command) => {
    if (command.type !== "append-audit") {
      throw new Error(
        `appendAudit takes append-audit commands only, not ${command.type} (use commitTransition)`,
      );
    }
    return command;
  });
}

/** A command's write failed: the error names the run and the command. */
export function commandError(runId: string, command: Command, error: unknown): Error {
  return new Error(`run ${runId}: could not write command ${command.type}: ${(error as Error).message}`, {
    cause: error,
  });
}
