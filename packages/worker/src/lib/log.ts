import { CREDENTIAL_IN_QUERY } from "./query-credentials";

/**
 * The one logger: a JSON line per call, to the console Workers Logs collects. Every field passes
 * the redaction guard first, so a key, a signing secret or a card token handed to a log line by
 * mistake never leaves the isolate.
 */

export type Level = "info" | "warn" | "error";
export type Fields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger whose lines all carry `fields` (a request id, a trace id). */
  with(fields: Fields): Logger;
}

/** Where lines go; the console unless a test passes its own. */
export type LineSink = (level: Level, line: string) => void;

const consoleSink: LineSink = (level, line) => {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

export function createLogger(sink: LineSink = consoleSink, base: Fields = {}): Logger {
  const emit =
    (level: Level) =>
    (msg: string, fields: Fields = {}) =>
      sink(level, JSON.stringify(redact({ level, msg, ...base, ...fields })));
  return {
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

/** The process-wide logger; components that can take one get it passed in. */
export const logger: Logger = createLogger();

/** Field names whose values are secret whatever they hold. */
const SECRET_KEY = /authorization|cookie|password|secret|api_?key|token|cvc|card_?number/i;
/** Secrets by their shape, wherever they appear in a string: API keys, signing secrets, card tokens, bearer credentials. */
const SECRET_TEXT = [/\b(?:sk_(?:test|live)|whsec|tok)_[A-Za-z0-9_+/=-]*/g, /\bBearer\s+[^\s"',;]+/gi];
const REDACTED = "[redacted]";

/** A copy of `value` with secret fields and secret-looking text replaced; errors become their message and stack. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    const text = value.replace(CREDENTIAL_IN_QUERY, `$1${REDACTED}`);
    return SECRET_TEXT.reduce((s, pattern) => s.replace(pattern, REDACTED), text);
  }
  if (value instanceof Error) return redact({ name: value.name, message: value.message, stack: value.stack }, depth);
  if (typeof value !== "object" || value === null) return value;
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1)]),
  );
}
