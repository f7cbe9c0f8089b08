/**
 * A directory file says who holds each role, so that charters can name roles without listing people:
 *
 * ```yaml
 * directory: 1
 * roles:
 *   finance-manager: [user:fiona, user:farid]
 * ```
 * A charter points at it with `directory: ./directory.yaml` (relative to the charter).
 */
import { z } from "zod";
import type { Diagnostic } from "./diagnostic.js";
import type { DefinitionLimits } from "./limits.js";
import { resolveDefinitionLimits } from "./limits.js";
import type { Directory } from "./lint/rule.js";
import { placeFindings } from "./load.js";
import { parseCharterText } from "./parse.js";
import { ID_PATTERN } from "./schema.js";
import { formatPath } from "./validate.js";

export const directorySchema = z.strictObject({
  $schema: z.string().optional(),
  directory: z
    .literal(1)
    .meta({ description: "Directory file format version; marks the file as a directory." }),
  roles: z.record(
    z.string().regex(ID_PATTERN, "a role id is lowercase letters, digits and '-'"),
    z.array(z.string().regex(/^user:[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'a member is "user:<id>"')),
  ),
});

/** A directory file says `directory: 1` where a charter says `charter: 1`. */
export function isDirectoryValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && "directory" in value && !("charter" in value);
}

export interface LoadedDirectory {
  directory: Directory | undefined;
  diagnostics: Diagnostic[];
}

export function loadDirectory(
  text: string | Uint8Array,
  file: string,
  limits: DefinitionLimits = {},
): LoadedDirectory {
  const parsed = parseCharterText(text, resolveDefinitionLimits(limits));
  if (parsed.value === undefined || parsed.syntaxFindings.length > 0) {
    const diagnostics = parsed.syntaxFindings.map((f): Diagnostic => ({
      ruleId: f.ruleId,
      severity: "error",
      message: f.message,
      file,
      path: [],
      ...parsed.source.locateOffset(f.offset),
    }));
    return { directory: undefined, diagnostics };
  }
  const result = directorySchema.safeParse(parsed.value);
  if (result.success) return { directory: { roles: result.data.roles }, diagnostics: [] };
  const findings = result.error.issues.map((issue) => ({
    ruleId: "schema/directory",
    message: `directory ${formatPath(issue.path as (string | number)[]) || "file"}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`,
    path: issue.path as (string | number)[],
  }));
  return { directory: undefined, diagnostics: placeFindings(findings, file, parsed.source) };
}
