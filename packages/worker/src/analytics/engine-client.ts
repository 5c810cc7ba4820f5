import type { Row } from "./queries";

/**
 * What went wrong asking Analytics Engine: `unavailable` (unreachable, timed out, 429 or 5xx:
 * worth retrying later), `rejected` (a 4xx: the query or the credentials were refused) or
 * `malformed` (a success whose body is not the documented JSON).
 */
export class AnalyticsEngineError extends Error {
  override name = "AnalyticsEngineError";
  constructor(
    readonly reason: "unavailable" | "rejected" | "malformed",
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface EngineClientOptions {
  accountId: string;
  apiToken: string;
  /** Injected, so tests answer with recorded responses and a Worker can route it. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs?: number;
}

interface Column {
  name: string;
  type: string;
}

/** ClickHouse's JSON output quotes 64-bit integers (and may quote other numbers): these types are numbers. */
const NUMERIC = /^(Nullable\()?(U?Int|Float|Decimal)/;
const MAX_DETAIL = 300;

/** A client of the Analytics Engine SQL API. It never puts the token in an error or a log line. */
export function engineClient(options: EngineClientOptions) {
  const url = `https://api.cloudflare.com/client/v4/accounts/${encodeURIComponent(options.accountId)}/analytics_engine/sql`;
  return {
    /** Runs one SQL statement (with `FORMAT JSON`) and returns its rows, numbers as numbers. */
    async query(sql: string): Promise<Row[]> {
      let res: Response;
      try {
        res = await options.fetch(url, {
          method: "POST",
          headers: { Authorization: `Bearer ${options.apiToken}`, "Content-Type": "text/plain" },
          body: sql,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new AnalyticsEngineError("unavailable", `Analytics Engine could not be reached: ${String(error)}`);
      }
      const text = await res.text().catch(() => "");
      if (!res.ok) {
        const reason = res.status === 429 || res.status >= 500 ? "unavailable" : "rejected";
        throw new AnalyticsEngineError(reason, `Analytics Engine answered ${res.status}: ${detail(text)}`, res.status);
      }
      return parse(text);
    },
  };
}

export type EngineClient = ReturnType<typeof engineClient>;

function parse(text: string): Row[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AnalyticsEngineError(
      "malformed",
      `Analytics Engine answered with something other than JSON: ${detail(text)}`,
    );
  }
  const { meta, data } = (body ?? {}) as { meta?: unknown; data?: unknown };
  if (!Array.isArray(meta) || !Array.isArray(data)) {
    throw new AnalyticsEngineError("malformed", `Analytics Engine's answer has no meta and data: ${detail(text)}`);
  }
  const numeric = new Set((meta as Column[]).filter((c) => NUMERIC.test(String(c.type))).map((c) => c.name));
  return (data as Row[]).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, numeric.has(k) ? toNumber(v) : v])),
  );
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** An error answer in a sentence: the Cloudflare API's `errors[].message`, or the body's text. */
function detail(text: string): string {
  try {
    const { errors } = JSON.parse(text) as { errors?: { code?: number; message?: string }[] };
    if (Array.isArray(errors) && errors.length) {
      return errors.map((e) => (e.code ? `${e.message} (${e.code})` : String(e.message))).join("; ");
    }
  } catch {
    // Not JSON: the text itself says what happened.
  }
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return "(empty body)";
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}
