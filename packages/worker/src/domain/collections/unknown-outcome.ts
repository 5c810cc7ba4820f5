/**
 * A charge the processor did not answer in time (a `timeout`) may have taken the money, so it
 * stays in flight: it is asked again under the same key, which either replays a success or
 * decides afresh, soon and then less often. It is never sent under a new key and never given up
 * while its outcome is unknown, and nothing else moves money on its purchase meanwhile.
 */
const ASK_AGAIN_MINUTES = [1, 5, 30, 120] as const;
const AT_MOST_MINUTES = 360;

/** When a charge whose `attempts`-th attempt (1 for the first) timed out is asked again. */
export function askAgainAt(attempts: number, now: Date): string {
  const minutes = ASK_AGAIN_MINUTES[attempts - 1] ?? AT_MOST_MINUTES;
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Whether a processor's answer leaves the outcome unknown. */
export const outcomeUnknown = (result: { status: string; code?: string }): boolean =>
  result.status === "failed" && result.code === "timeout";
