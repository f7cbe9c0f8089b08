/**
 * A deep copy of a run state for the draft a transition mutates. The state is plain JSON data
 * (objects, arrays, strings, numbers, booleans, null), so a recursive copy does what
 * `structuredClone` does, about twice as fast: that matters because every transition copies the
 * whole state, and a `for_each` of 500 items makes a state of 500 instances.
 */
export function cloneState<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const array = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) array[i] = copy(value[i]);
    return array;
  }
  const object: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    // Handler output parsed from JSON may hold an own "__proto__" key: keep it as data.
    if (key === "__proto__")
      Object.defineProperty(object, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[key] = item;
  }
  return object;
}

/**
 * A copy of a run state for a transition's draft in which the step instances are still the
 * original's objects (a `for_each` of 500 makes 500 of them, and a transition changes one or two):
 * the draft copies an instance before it changes it (`ownInstance` in instances.ts), which it knows
 * by its being the original's object. Everything else is copied deeply.
 */
export function cloneStateSharingSteps<T extends { steps: Record<string, unknown> }>(state: T): T {
  const { steps, ...rest } = state;
  const copy = cloneState(rest) as Omit<T, "steps">;
  return { ...copy, steps: { ...steps } } as T;
}
