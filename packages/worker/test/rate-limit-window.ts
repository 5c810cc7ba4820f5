/**
 * Waits, if needed, so that the next few seconds fall in one rate-limit window: the emulated
 * binding's windows are aligned to the wall clock (Date.now() / period). Waits at least `minMs`.
 */
export async function freshWindow(periodSeconds: number, minSeconds = 0): Promise<void> {
  const period = periodSeconds * 1000;
  const intoWindow = (Date.now() + minSeconds * 1000) % period;
  // Within the window's first 70% there is time enough for a test's few requests.
  const wait = minSeconds * 1000 + (intoWindow < period * 0.7 ? 0 : period - intoWindow + 50);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
