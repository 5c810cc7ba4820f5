import { ConnectionError, errorFor, TimeoutError, type TrancheError } from "./errors";
import type { Problem } from "./types.generated";

/** What the client calls to send a request: global `fetch`, or a Worker's service binding's. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** The API's origin: your deployment's, or `pnpm dev`'s (the default, http://localhost:8787). */
  baseUrl?: string;
  /** Replaces global `fetch`, e.g. `env.TRANCHE.fetch.bind(env.TRANCHE)` for a service binding. */
  fetch?: Fetch;
  /** Retries after the first attempt of a request that may succeed if sent again. Default 2. */
  maxRetries?: number;
  /** Milliseconds one attempt may take, reading the body included. Default 60,000. */
  timeout?: number;
}

export interface RequestOptions {
  /** For POSTs; generated when omitted. The same key is sent on every retry of the call. */
  idempotencyKey?: string;
  /** Aborts the call, retries and waits included; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  timeout?: number;
  maxRetries?: number;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A longer Retry-After than this is treated as absent: a client should not hang for minutes. */
const MAX_RETRY_AFTER_MS = 60_000;

type Outcome = { value: unknown } | { error: TrancheError; retry: boolean; delay?: number | undefined };

/**
 * How a successful answer is read: parsed JSON; the whole body as text (a CSV export); or its
 * body as a stream, returned as soon as the response starts, for exports too large to hold.
 */
export type Read = "json" | "text" | "stream";

/** The request policy: auth, idempotency keys, timeouts, retries and error mapping. */
export class Http {
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #fetch: Fetch;
  readonly #maxRetries: number;
  readonly #timeout: number;

  constructor(apiKey: string, options: ClientOptions) {
    this.#apiKey = apiKey;
    this.#baseUrl = (options.baseUrl ?? "http://localhost:8787").replace(/\/+$/, "");
    // Global fetch looked up per call: one patched or polyfilled after construction is the one used,
    // and browsers refuse a fetch called detached from `window`.
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#maxRetries = options.maxRetries ?? 2;
    this.#timeout = options.timeout ?? 60_000;
  }

  get<T>(path: string, query: object = {}, options: RequestOptions = {}, read: Read = "json"): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return this.#send("GET", search ? `${path}?${search}` : path, undefined, options, read);
  }

  post<T>(path: string, body?: object, options: RequestOptions = {}): Promise<T> {
    return this.#send("POST", path, body, options);
  }

  /** PATCH and DELETE carry no Idempotency-Key: sent twice, they leave the same state. */
  patch<T>(path: string, body: object, options: RequestOptions = {}): Promise<T> {
    return this.#send("PATCH", path, body, options);
  }

  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.#send("DELETE", path, undefined, options);
  }

  async #send<T>(
    method: string,
    path: string,
    body: object | undefined,
    options: RequestOptions,
    read: Read = "json",
  ): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#apiKey}`,
      Accept: read === "json" ? "application/json" : "text/csv",
    };
    // One key for the whole call: a retry of a POST whose answer was lost replays it instead of running it twice.
    if (method === "POST") headers["Idempotency-Key"] = options.idempotencyKey ?? crypto.randomUUID();
    if (body) headers["Content-Type"] = "application/json";
    const init: RequestInit = { method, headers, body: body && JSON.stringify(body) };
    const maxRetries = options.maxRetries ?? this.#maxRetries;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(this.#baseUrl + path, init, options, read);
      if ("value" in outcome) return outcome.value as T;
      if (!outcome.retry || attempt >= maxRetries) throw outcome.error;
      await sleep(outcome.delay ?? backoff(attempt), options.signal);
    }
  }

  async #attempt(url: string, init: RequestInit, options: RequestOptions, read: Read): Promise<Outcome> {
    const { signal } = options;
    signal?.throwIfAborted();
    const controller = new AbortController();
    const abort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", abort, { once: true });
    const timeout = options.timeout ?? this.#timeout;
    let timedOut = false;
    let streaming = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, { ...init, signal: controller.signal });
      // A stream is the caller's to read: the timeout covers its start, the signal all of it.
      if (res.ok && read === "stream" && res.body) {
        streaming = true;
        return { value: res.body };
      }
      text = await res.text();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      const error = timedOut
        ? new TimeoutError(`No response from Tranche within ${timeout} ms.`, { cause })
        : new ConnectionError(`Could not reach Tranche: ${cause}`, { cause });
      return { error, retry: true };
    } finally {
      clearTimeout(timer);
      if (!streaming) signal?.removeEventListener("abort", abort);
    }

    const requestId = res.headers.get("Request-Id") ?? undefined;
    const json = parse(text);
    if (res.ok && read !== "json") return { value: text };
    if (res.ok && (json !== undefined || !text)) return { value: json };
    const problem = typeof (json as Problem | undefined)?.detail === "string" ? (json as Problem) : undefined;
    return {
      error: errorFor(res.status, problem, requestId),
      // Only what may succeed unchanged: overload, failures on our side, and a duplicate still in flight.
      // A 409 for any other reason, and every other 4xx, would fail the same way again.
      retry:
        res.status === 429 || res.status >= 500 || (res.status === 409 && problem?.code === "idempotency_key_in_use"),
      delay: retryAfter(res.headers.get("Retry-After")),
    };
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Capped exponential backoff with equal jitter: never sooner than half the step, so retries spread out. */
function backoff(attempt: number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return step / 2 + (Math.random() * step) / 2;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(header) ? Number(header) * 1000 : Math.max(0, Date.parse(header) - Date.now());
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/** A path with each interpolated value URL-encoded: ids never change the route they are put in. */
export function path(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, part, i) => out + encodeURIComponent(String(values[i - 1])) + part);
}
