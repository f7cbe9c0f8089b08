/**
 * Engine behaviour flags: when a change of behaviour would change what a running run does, it is
 * gated by a numbered flag, and a run keeps the flags it started with (RunState.flags), so running
 * runs finish on the behaviour they started with. None is defined yet.
 */

/** Flags new runs start with. Add a number here (never reuse one) with a `@since` note. */
export const CURRENT_FLAGS: readonly number[] = [];
