import { Cron } from "croner";

/**
 * Why a cron expression is invalid, or undefined when croner accepts it. Five fields (minute
 * precision), six (with seconds) or a nickname such as "@daily"; croner's seven-field form with years
 * is refused so that schedules stay portable to other cron readers.
 */
export function cronError(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (!expression.trim().startsWith("@") && (fields < 5 || fields > 6)) {
    return `a cron expression has 5 fields (or 6 with seconds), got ${fields}: "${expression}"`;
  }
  try {
    new Cron(expression, { paused: true }).stop();
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, "") : String(error);
    return `invalid cron expression "${expression}": ${reason}`;
  }
}

/** Why a time zone name is invalid (not an IANA zone the runtime knows), or undefined. */
export function timeZoneError(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone "${zone}"; use an IANA name such as "Europe/Paris" or "UTC"`;
  }
}
