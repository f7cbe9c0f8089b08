/**
 * Validating a run's input and a task's form data against their JSON Schemas (draft 2020-12). Ajv is
 * pure; each charter gets its own Ajv instance (so `$id`s of different charters never collide), and
 * each schema is compiled once, cached by the charter object and the schema object.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Charter } from "../definition/schema.js";

export type SchemaCheck =
  { readonly ok: true } | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * An Ajv (draft 2020-12, with formats) and a cache: each schema object is compiled once. A schema
 * that does not compile gives its error instead of a validator. Shared with the offline provider.
 */
export function createSchemaCompiler(): (schema: object) => ValidateFunction | Error {
  const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false });
  addFormatsModule.default(ajv);
  const validators = new WeakMap<object, ValidateFunction | Error>();
  return (schema) => {
    let validate = validators.get(schema);
    if (!validate) {
      try {
        validate = ajv.compile(schema);
      } catch (error) {
        validate = error instanceof Error ? error : new Error(String(error));
      }
      validators.set(schema, validate);
    }
    return validate;
  };
}

/** One compiler per charter, so that `$id`s of different charters never collide. */
const byCharter = new WeakMap<Charter, (schema: object) => ValidateFunction | Error>();

function compiled(charter: Charter, schema: Record<string, unknown>): ValidateFunction | Error {
  let compile = byCharter.get(charter);
  if (!compile) byCharter.set(charter, (compile = createSchemaCompiler()));
  return compile(schema);
}

/** Checks `data` against `schema` (a schema object of `charter`); names the first invalid field. */
export function checkSchema(charter: Charter, schema: Record<string, unknown>, data: unknown): SchemaCheck {
  const validate = compiled(charter, schema);
  if (validate instanceof Error)
    return { ok: false, field: "", message: `the schema cannot be compiled: ${validate.message}` };
  if (validate(data)) return { ok: true };
  return describe(validate.errors?.[0]);
}

function describe(error: ErrorObject | undefined): SchemaCheck & { ok: false } {
  if (!error) return { ok: false, field: "", message: "the data does not satisfy the schema" };
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const field = missing === undefined ? error.instancePath : `${error.instancePath}/${missing}`;
  const name = field === "" ? "the data" : `field "${field.slice(1).replace(/\//g, ".")}"`;
  const message = missing === undefined ? `${name} ${error.message ?? "is invalid"}` : `${name} is required`;
  return { ok: false, field, message };
}
