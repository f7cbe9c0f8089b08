/**
 * Values given on the command line that need checking beyond what commander does: actors and JSON
 * (inline or `@FILE`). Errors are Charter errors, so that they end with a code.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../config/find-config.js";
import { CharterError } from "../errors.js";

/** A person acting from the CLI: `user:<id>`, as charters and directory files write members. */
export const USER_ACTOR = /^user:[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** @throws CharterError INVALID_OPTION unless `value` is `user:<id>` */
export function parseActor(value: string, flag = "--as"): string {
  if (USER_ACTOR.test(value)) return value;
  const hint = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(value) ? ` (did you mean ${flag} user:${value}?)` : "";
  throw new CharterError(
    "INVALID_OPTION",
    `${flag} "${value}" is not a person; write user:ID, e.g. ${flag} user:fiona${hint}`,
    { details: { option: flag, value } },
  );
}

/**
 * JSON given inline (`'{"a":1}'`) or as `@FILE` (relative to `cwd`).
 * @throws CharterError FILE_NOT_FOUND for an unreadable file, INVALID_OPTION for text that is not JSON
 */
export async function parseJsonArgument(value: string, flag: string, cwd: string): Promise<unknown> {
  let text = value;
  let from = flag;
  if (value.startsWith("@")) {
    const file = value.slice(1);
    from = `${flag} ${value}`;
    try {
      text = await readFile(path.resolve(cwd, file), "utf8");
    } catch (error) {
      throw new CharterError("FILE_NOT_FOUND", `cannot read ${file} (${flag}): ${describeFsError(error)}`, {
        cause: error,
      });
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CharterError(
      "INVALID_OPTION",
      `${from} is not valid JSON (${reason}); pass JSON such as ${flag} '{"name":"Ada"}', or ${flag} @FILE`,
      { details: { option: flag }, cause: error },
    );
  }
}
