/**
 * Graceful, then forced: wait for in-flight work up to a grace period, then abort what is left
 * (handlers see their AbortSignal abort, report nothing, and their leases expire so another worker
 * retries them), then wait for it to unwind.
 */
export async function drain(
  inFlight: ReadonlySet<Promise<unknown>>,
  graceMs: number,
  force: () => void,
): Promise<void> {
  const all = Promise.allSettled([...inFlight]);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"grace-over">((resolve) => {
    timer = setTimeout(() => resolve("grace-over"), graceMs);
  });
  const first = await Promise.race([all.then(() => "done" as const), graceOver]);
  clearTimeout(timer);
  if (first === "done") return;
  force();
  await all;
}
