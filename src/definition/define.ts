/**
 * Charters written in TypeScript. `defineWorkflow` gives editors the language's types and runs the
 * same schema validation as a YAML file; `charter lint` and `charter docs` accept the module too.
 */
import { DefinitionError } from "../errors.js";
import { hasErrors } from "./diagnostic.js";
import { loadCharterValue } from "./load.js";
import type { Charter, CharterDefinition } from "./schema.js";

const DEFINED = Symbol.for("charter.defined-workflow");

/** A charter built in code: validated, frozen, and recognisable when a module is linted. */
export type DefinedWorkflow = Readonly<Charter> & { readonly [DEFINED]: true };

/**
 * Declare a charter in TypeScript. Throws a {@link DefinitionError} (code `DEFINITION_INVALID`) with
 * every schema diagnostic when the object is not a charter; lint rules run when the module is linted
 * or deployed, as for a YAML file.
 */
export function defineWorkflow(
  definition: CharterDefinition,
  options: { file?: string } = {},
): DefinedWorkflow {
  const file =
    options.file ?? `<defineWorkflow ${String((definition as { workflow?: unknown }).workflow ?? "?")}>`;
  const loaded = loadCharterValue(definition, file);
  if (!loaded.charter || hasErrors(loaded.diagnostics)) {
    const first = loaded.diagnostics[0];
    throw new DefinitionError(
      `${file}: charter is not valid (${loaded.diagnostics.length} problem${loaded.diagnostics.length === 1 ? "" : "s"}${first ? `; first: ${first.message}` : ""})`,
      loaded.diagnostics,
    );
  }
  Object.defineProperty(loaded.charter, DEFINED, { value: true, enumerable: false });
  return deepFreeze(loaded.charter) as DefinedWorkflow;
}

/** True for the result of {@link defineWorkflow}, even from another copy of this package. */
export function isDefinedWorkflow(value: unknown): value is DefinedWorkflow {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DEFINED] === true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
