import type { RequestLine } from "@tranche/shared";
import type { Lifetime } from "../analytics/sink";
import { type StreamOwner, streamName, tailed } from "../events/stream-object/listeners";
import { IsolateCache } from "../lib/isolate-cache";
import { logger } from "../lib/log";

/**
 * Whether a merchant's request log is tailed is read from the directory at most once a second per
 * isolate and merchant, after the answer: a tail attached elsewhere shows this isolate's requests
 * within a second, and a merchant nobody tails costs a map lookup on the request path, nothing more.
 */
export const TAIL_CACHE_TTL_MS = 1_000;

/** This isolate's answers, by stream name: module state, so every app made in the isolate shares it. */
const isolateCache = new IsolateCache<boolean>(TAIL_CACHE_TTL_MS);

/**
 * Hands one answered request to the owner's log tails, if one is attached, after the answer
 * (`waitUntil`): the request never waits on it, and a failure only costs the tail a line.
 */
export function publishRequest(env: Env, lifetime: Lifetime, owner: StreamOwner, line: () => RequestLine): void {
  const at = Date.now();
  if (isolateCache.get(streamName(owner), at) === false) return;
  lifetime.waitUntil(
    send(env, owner, line, at).catch((error) => logger.warn("request log tail failed", { error: String(error) })),
  );
}

/** A tail attached through this isolate: its requests show from now on, not a cached second later. */
export function noteTailAttached(owner: StreamOwner): void {
  isolateCache.set(streamName(owner), true, Date.now());
}

async function send(env: Env, owner: StreamOwner, line: () => RequestLine, at: number): Promise<void> {
  const name = streamName(owner);
  let isTailed = isolateCache.get(name, at);
  if (isTailed === undefined) {
    isTailed = await tailed(env.DB, owner);
    isolateCache.set(name, isTailed, at);
  }
  if (isTailed) await env.EVENT_STREAMS.get(env.EVENT_STREAMS.idFromName(name)).logRequest(owner, line());
}
