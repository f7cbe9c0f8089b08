/** The error for a store option that fails its check, the same for both stores. */
import { CharterError } from "../../errors.js";

export function invalidOption(store: string, option: string, value: unknown, expected: string): never {
  throw new CharterError(
    "INVALID_OPTION",
    `${store} store option "${option}" must be ${expected}, not ${JSON.stringify(value)}`,
    { details: { option, value } },
  );
}
