import { AsyncLocalStorage } from "node:async_hooks";

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/). A request's `traceparent` is
 * continued when it is valid and replaced by a new trace when it is not, so a caller's malformed
 * header never breaks the request. The trace id then follows the work: log lines, analytics
 * points, the customer object's rows and the processor's requests.
 */

export interface Trace {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** This server's span: 16 lowercase hex digits. */
  spanId: string;
  /** The caller's span, when the trace was continued. */
  parentSpanId?: string;
  /** The caller's trace flags (`01` sampled), kept as they came; `01` for a trace started here. */
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** The trace a `traceparent` header continues, or undefined if it is absent or invalid. */
export function parseTraceparent(header: string | null | undefined): Omit<Trace, "spanId"> | undefined {
  const m = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!m) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // Version ff is forbidden; version 00 has exactly four fields; later versions may append more.
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (ZEROS.test(traceId) || ZEROS.test(parentSpanId)) return undefined;
  return { traceId, parentSpanId, flags };
}

/** This server's span of the trace the header names, or of a new trace. */
export function startSpan(header: string | null | undefined, random: (bytes: number) => string = randomHex): Trace {
  const continued = parseTraceparent(header);
  return continued ? { ...continued, spanId: random(8) } : { traceId: random(16), spanId: random(8), flags: "01" };
}

/**
 * A child span of `traceId`, for a call this server makes (the processor's), as a `traceparent`
 * value; none for work with no trace (purchases made before traces were kept).
 */
export function childTraceparent(traceId: string, random: (bytes: number) => string = randomHex): string | undefined {
  return traceId ? formatTraceparent({ traceId, spanId: random(8), flags: "01" }) : undefined;
}

/** The trace of the request a customer object is working for; none in an alarm, which has no request. */
const requestTrace = new AsyncLocalStorage<string>();

/** Runs `work` for the request traced as `traceId` (as each customer command does); as is without one. */
export const inTrace = <T>(traceId: string | undefined, work: () => T): T =>
  traceId ? requestTrace.run(traceId, work) : work();

/**
 * The trace a purchase's work belongs to: the request's it runs for, or else (an alarm months
 * later) the purchase's own, kept from the request that created it.
 */
export const workTrace = (purchaseTrace: string): string => requestTrace.getStore() ?? purchaseTrace;

export function formatTraceparent(trace: Pick<Trace, "traceId" | "spanId" | "flags">): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

export function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const b of buf) hex += b.toString(16).padStart(2, "0");
  // All zeros is invalid in both fields; one in 2^64 at worst, but never emit it.
  return ZEROS.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}
