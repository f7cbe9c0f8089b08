/**
 * Times cross the store boundary as ISO 8601 text and are kept as epoch milliseconds where the store
 * compares or orders by them: "…T10:00:00Z" and "…T10:00:00.000Z" are the same instant, but not the
 * same text, so a lexical comparison would be wrong.
 */

/** Epoch milliseconds of an ISO 8601 time; throws for text that names no instant. */
export function toMs(time: string, what: string): number {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms))
    throw new RangeError(`${what} is not a valid ISO 8601 time: ${JSON.stringify(time)}`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toIsoOrUndefined(ms: number | null): string | undefined {
  return ms === null ? undefined : toIso(ms);
}
