import { DurableObject } from "cloudflare:workers";
import type { RequestLine } from "@tranche/shared";
import { idFloor, timeOfId } from "../../lib/ids";
import { logger } from "../../lib/log";
import { readModel } from "../../shards";
import type { DeliverableEvent } from "../../webhooks/deliverable";
import { asDelivered } from "../../webhooks/rules/schedule";
import { eventsAfter } from "../after";
import { Arrivals } from "./arrivals";
import { markListening, type StreamOwner, unmarkListening } from "./listeners";
import { kindOf, LOG_TAIL_TAG, type LogTail, sendLine } from "./log-tail";

/** What a socket asked for; kept as its attachment, so it survives hibernation. */
export interface Subscription {
  owner: StreamOwner;
  /** Event types to send, or null for all. */
  types: string[] | null;
  /** The socket's tag, if it resumed: names what its catch-up sent (Arrivals `walk`). */
  resumed?: string;
}

/**
 * A resume walks D1 from this long before the named event: events of different customers reach the
 * stream in the order their batches were projected, not in id order, so one made just before the
 * named event may arrive after it. The arrivals say which of those the client already has.
 */
const LOOKBACK_MS = 60_000;
const PAGE = 200;

/**
 * One object per merchant and mode (listeners.ts `streamName`): the merchant's event streams, as
 * WebSockets accepted with the hibernation API. Idle sockets cost nothing: the object is evicted
 * between events and woken by the next `push` (or a close); the runtime answers `ping` with `pong`
 * without waking it. The fan-out calls `push` only while the directory's `event_streams` row says a
 * stream is attached; the last socket to close clears it.
 *
 * Its sockets tagged `logs` are request log tails (GET /v1/logs/stream): the request middleware calls
 * `logRequest` only while the directory's `log_tails` row says one is attached, and the last to close clears it.
 */
export class EventStreamObject extends DurableObject<Env> {
  private readonly arrivals = new Arrivals(this.ctx.storage.sql);
  /** Sockets still catching up from D1, with what arrived live meanwhile: sent after the walk. */
  private readonly catchingUp = new Map<WebSocket, DeliverableEvent[]>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts a stream (the route has authenticated it): `?subscription=<json>[&since=evt_…]`. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/logs")
      return this.acceptTail(JSON.parse(url.searchParams.get("owner") ?? "") as StreamOwner);
    const subscription = JSON.parse(url.searchParams.get("subscription") ?? "") as Subscription;
    const since = url.searchParams.get("since");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    const resumed = since ? crypto.randomUUID() : undefined;
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ ...subscription, resumed });
    // Marked before the walk reads D1: an event D1 gets after that read is pushed live, so none falls between.
    if (since) this.catchingUp.set(server, []);
    await markListening(this.env.DB, subscription.owner);
    if (since) {
      this.catchUp(server, { ...subscription, resumed }, since).catch((error) => {
        logger.warn("event stream catch-up failed", { error: String(error) });
        // The client reconnects from its last event and loses nothing.
        server.close(1011, "catch-up failed; reconnect with your last event id");
      });
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The fan-out's call: events of the owner, as they reach D1. */
  async push(owner: StreamOwner, events: DeliverableEvent[]): Promise<void> {
    const sockets = this.ctx.getWebSockets().filter((ws) => kindOf(ws) === "events");
    if (sockets.length === 0) {
      // A mark outlived its sockets (the object went away before a close): clear it, the next batch skips us.
      await unmarkListening(this.env.DB, owner);
      return;
    }
    const fresh = this.arrivals.add(events, Date.now());
    for (const ws of sockets) {
      const pending = this.catchingUp.get(ws);
      const { resumed } = ws.deserializeAttachment() as Subscription;
      if (pending) pending.push(...fresh);
      else for (const event of resumed ? this.arrivals.notWalked(resumed, fresh) : fresh) send(ws, event);
    }
  }

  /** The request middleware's call: one of the owner's requests, answered. */
  async logRequest(owner: StreamOwner, line: RequestLine): Promise<void> {
    const tails = this.ctx.getWebSockets(LOG_TAIL_TAG);
    // A mark that outlived its sockets: cleared, the middleware stops calling within its cache's second.
    if (tails.length === 0) await unmarkListening(this.env.DB, owner, "logs");
    for (const ws of tails) sendLine(ws, line);
  }

  private async acceptTail(owner: StreamOwner): Promise<Response> {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [LOG_TAIL_TAG]);
    server.serializeAttachment({ kind: "logs", owner } satisfies LogTail);
    await markListening(this.env.DB, owner, "logs");
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.catchingUp.delete(ws);
    // 1005 (no status) and 1006 (abnormal) cannot be sent back.
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
    await this.detachIfLast(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.catchingUp.delete(ws);
    await this.detachIfLast(ws);
  }

  private async detachIfLast(closed: WebSocket): Promise<void> {
    // A log tail's attachment has the owner too, and never `resumed`.
    const { owner, resumed } = closed.deserializeAttachment() as Subscription;
    if (resumed) this.arrivals.forget(resumed);
    const kind = kindOf(closed);
    const open = () =>
      this.ctx.getWebSockets().filter((s) => s !== closed && s.readyState === WebSocket.OPEN && kindOf(s) === kind);
    if (open().length > 0) return;
    await unmarkListening(this.env.DB, owner, kind);
    // A stream may have attached while the mark was being cleared: put it back for that one.
    if (open().length > 0) await markListening(this.env.DB, owner, kind);
  }

  /**
   * Sends what the client missed after `since`, from D1 in id order, then what arrived live
   * meanwhile; none twice. What it already has: `since` and what arrived before it (when the
   * arrivals still know `since`; else everything up to `since` in id order).
   */
  private async catchUp(ws: WebSocket, subscription: Subscription, since: string): Promise<void> {
    const seq = this.arrivals.seqOf(since);
    const from = seq === null ? since : idFloor("evt", timeOfId(since) - LOOKBACK_MS);
    const sent = seq === null ? new Set<string>() : this.arrivals.upTo(seq, from);
    const db = await readModel(this.env, subscription.owner.merchantId);
    for (let after: string | null = from; after !== null; ) {
      const page = await eventsAfter(db, subscription.owner, after, PAGE);
      for (const event of page.events) {
        if (sent.has(event.id)) continue;
        sent.add(event.id);
        this.arrivals.walk(subscription.resumed as string, event.id, Date.now());
        send(ws, asDelivered(event));
      }
      after = page.last;
    }
    const arrived = this.catchingUp.get(ws) ?? [];
    this.catchingUp.delete(ws);
    for (const event of arrived) if (!sent.has(event.id)) send(ws, event);
  }
}

/** One event, one text message: `{id, type, created_at, data}`, if the socket subscribes to its type. */
function send(ws: WebSocket, event: DeliverableEvent): void {
  const { types } = ws.deserializeAttachment() as Subscription;
  if (types && !types.includes(event.type)) return;
  try {
    ws.send(JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at, data: event.data }));
  } catch {
    // Closed meanwhile: its close handler clears the mark if it was the last.
  }
}
