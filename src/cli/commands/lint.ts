import type { Command } from "commander";
import { hasErrors } from "../../definition/diagnostic.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { OutputFormat } from "../output.js";
import { countBySeverity, formatDiagnostics, formatJson } from "../output.js";
import { checkCharters } from "./check-charters.js";
import type { GlobalOptions } from "./options.js";
import { formatOption, handlersOption, limitOptions, parseCount, resolveLimitsFromFlags } from "./options.js";

interface LintFlags extends GlobalOptions {
  format: OutputFormat;
  handlers?: string[];
  maxWarnings?: number;
}

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("lint")
    .description("check charters for production readiness; exit 1 when any has an error")
    .argument(
      "<files...>",
      "charter files (.yaml, .yml, .json, or a module exporting defineWorkflow results) or folders",
    )
    .addOption(formatOption())
    .addOption(handlersOption())
    .option(
      "--max-warnings <n>",
      "also fail when there are more than n warnings",
      parseCount("--max-warnings"),
    );
  limitOptions(command).action(async (files: string[], flags: LintFlags) => {
    const result = await checkCharters(files, {
      cwd: io.cwd,
      limits: resolveLimitsFromFlags(flags),
      ...(flags.handlers ? { handlers: flags.handlers } : {}),
    });
    const { errors, warnings } = countBySeverity(result.diagnostics);
    if (flags.format === "json") {
      const files = result.charters.map((c) => {
        const counts = countBySeverity(c.diagnostics);
        return {
          file: c.file,
          workflow: c.loaded.charter?.workflow ?? null,
          errorCount: counts.errors,
          warningCount: counts.warnings,
          diagnostics: c.diagnostics,
        };
      });
      io.stdout(
        formatJson({ errorCount: errors, warningCount: warnings, files, diagnostics: result.diagnostics }),
      );
    } else {
      io.stdout(formatDiagnostics(result.diagnostics, result.fileCount, io.isTty));
    }
    const tooManyWarnings = flags.maxWarnings !== undefined && warnings > flags.maxWarnings;
    setExit(hasErrors(result.diagnostics) || tooManyWarnings ? EXIT.findings : EXIT.ok);
  });
}
