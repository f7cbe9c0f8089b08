import type { Command } from "commander";
import type { ChainVerdict } from "../../audit/chain.js";
import { CHAIN_PROBLEMS } from "../../audit/chain.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { formatJson } from "../output.js";
import { withEngine } from "../project.js";
import type { StoreFlags } from "./options.js";
import { jsonOption, storeOptions } from "./options.js";

interface VerifyFlags extends StoreFlags {
  json?: boolean;
}

export function registerAudit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const audit = program.command("audit").description("the audit trail: append-only, hash-chained per run");
  const verify = audit
    .command("verify")
    .description(
      "check the hash chain of one run, or of every run; exit 1 naming the run and record when one is broken",
    )
    .argument("[run]", "the run id (default: every run)")
    .addOption(jsonOption("print each run's verdict as JSON"));
  storeOptions(verify).action(async (runId: string | undefined, flags: VerifyFlags) => {
    const results = await withEngine(flags, io, (engine) => engine.verifyAudit(runId));
    const broken = results.filter((r) => !r.verdict.ok);
    if (flags.json) io.stdout(formatJson({ ok: broken.length === 0, runs: results }));
    else {
      for (const { runId: id, verdict } of broken) io.stdout(`broken  ${id}  ${describeBreak(verdict)}\n`);
      const records = results.reduce((sum, r) => sum + (r.verdict.ok ? r.verdict.records : 0), 0);
      const runs = `${results.length} run${results.length === 1 ? "" : "s"}`;
      io.stdout(
        broken.length === 0
          ? `audit trail intact: ${runs}, ${records} record${records === 1 ? "" : "s"} verified\n`
          : `audit trail broken in ${broken.length} of ${runs}\n`,
      );
    }
    setExit(broken.length === 0 ? EXIT.ok : EXIT.findings);
  });
}

function describeBreak(verdict: ChainVerdict): string {
  if (verdict.ok) return "intact";
  return `audit record ${verdict.seq}: ${CHAIN_PROBLEMS[verdict.problem]} (${verdict.problem})`;
}
