import type { RequestLine } from "@tranche/shared";
import type { Lifetime } from "../analytics/sink";
import { type StreamOwner, streamName, tailed } from "../events/stream-object/listeners";
import { logger } from "../lib/log";

/**
 * Whether a merchant's request log is tailed is read from the directory at most once a second per
 * isolate and merchant, after the answer: a tail attached elsewhere shows this isolate's requests
 * within a second, and a merchant nobody tails costs a map lookup on the request path, nothing more.
 */
export const TAIL_CACHE_TTL_MS = 1_000;

/** This isolate's answers, by stream name: module state, so every app made in the isolate shares it. */
const isolateCache = new Map<string, { tailed: boolean; fetched: number }>();

/**
 * Hands one answered request to the owner's log tails, if one is attached, after the answer
 * (`waitUntil`): the request never waits on it, and a failure only costs the tail a line.
 */
export function publishRequest(env: Env, lifetime: Lifetime, owner: StreamOwner, line: () => RequestLine): void {
  const hit = isolateCache.get(streamName(owner));
  const at = Date.now();
  if (hit && !hit.tailed && hit.fetched + TAIL_CACHE_TTL_MS > at) return;
  lifetime.waitUntil(
    send(env, owner, line, at).catch((error) => logger.warn("request log tail failed", { error: String(error) })),
  );
}

/** A tail attached through this isolate: its requests show from now on, not a cached second later. */
export function noteTailAttached(owner: StreamOwner): void {
  isolateCache.set(streamName(owner), { tailed: true, fetched: Date.now() });
}

async function send(env: Env, owner: StreamOwner, line: () => RequestLine, at: number): Promise<void> {
  const name = streamName(owner);
  let hit = isolateCache.get(name);
  if (!hit || hit.fetched + TAIL_CACHE_TTL_MS <= at) {
    hit = { tailed: await tailed(env.DB, owner), fetched: at };
    isolateCache.set(name, hit);
  }
  if (hit.tailed) await env.EVENT_STREAMS.get(env.EVENT_STREAMS.idFromName(name)).logRequest(owner, line());
}
