/**
 * `{ [key]: value }`, or nothing for an absent value. Domain objects carry no `undefined` keys, so
 * what is read back has exactly the keys that were written (audit records are hashed over their keys).
 */
export function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
