/**
 * Read and lint a set of charters together (so `workflow` steps are checked against their children):
 * the shared first half of `charter lint` and `charter docs`.
 */
import type { Diagnostic } from "../../definition/diagnostic.js";
import { compareDiagnostics } from "../../definition/diagnostic.js";
import type { ResolvedDefinitionLimits } from "../../definition/limits.js";
import { lintLoadedCharter } from "../../definition/lint/lint.js";
import type { Charter } from "../../definition/schema.js";
import type { CharterSource } from "../files.js";
import { readCharters } from "../files.js";

export interface CheckedCharter extends CharterSource {
  diagnostics: Diagnostic[];
}

export interface CheckResult {
  charters: CheckedCharter[];
  /** Everything found, charters and directory files, in file and source order. */
  diagnostics: Diagnostic[];
  fileCount: number;
}

export async function checkCharters(
  paths: readonly string[],
  options: { cwd: string; limits: ResolvedDefinitionLimits; handlers?: readonly string[] },
): Promise<CheckResult> {
  const { charters, directories } = await readCharters(paths, options.cwd, options.limits);
  const workflows = new Map<string, Charter>();
  for (const { loaded } of charters) {
    if (loaded.charter && !workflows.has(loaded.charter.workflow))
      workflows.set(loaded.charter.workflow, loaded.charter);
  }
  const checked = charters.map((source): CheckedCharter => {
    const lintOptions = {
      workflows,
      limits: options.limits,
      ...(options.handlers ? { handlers: options.handlers } : {}),
      ...(source.directory ? { directory: source.directory } : {}),
    };
    return {
      ...source,
      diagnostics: [...source.extra, ...lintLoadedCharter(source.loaded, lintOptions)].sort(
        compareDiagnostics,
      ),
    };
  });
  const diagnostics = [
    ...checked.flatMap((c) => c.diagnostics),
    ...directories.flatMap((d) => d.diagnostics),
    ...duplicateIds(checked),
  ];
  return {
    charters: checked,
    diagnostics: diagnostics.sort(compareDiagnostics),
    fileCount: charters.length + directories.length,
  };
}

/** Two files defining the same workflow id would overwrite each other's docs and deployments. */
function duplicateIds(charters: readonly CheckedCharter[]): Diagnostic[] {
  const firstFile = new Map<string, string>();
  const found: Diagnostic[] = [];
  for (const { loaded } of charters) {
    const id = loaded.charter?.workflow;
    if (id === undefined) continue;
    const first = firstFile.get(id);
    if (first === undefined) {
      firstFile.set(id, loaded.file);
      continue;
    }
    found.push({
      ruleId: "defined/duplicate-workflow",
      severity: "error",
      message: `workflow id "${id}" is already defined in ${first}; each charter needs its own id`,
      file: loaded.file,
      path: ["workflow"],
      ...loaded.source.locate(["workflow"]),
    });
  }
  return found;
}
