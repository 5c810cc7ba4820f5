import { DurableObject } from "cloudflare:workers";
import type { List, WebhookDelivery } from "@tranche/shared";
import { modeOf } from "../../analytics/points";
import { analyticsSink } from "../../analytics/sink";
import { idFloor } from "../../lib/ids";
import { logger } from "../../lib/log";
import { tagInvocation } from "../../lib/sentry";
import { startSpan } from "../../lib/trace";
import { reportAlarm } from "../../objects/alarm-report";
import { keyringFrom } from "../../secrets/keyring";
import { readModel } from "../../shards";
import type { DeliverableEvent } from "../deliverable";
import type { EventQueue } from "../event-batch";
import { signingSecrets, type WebhookEndpointRow } from "../rules/endpoints";
import { healthAction, nextAttemptAt, nextHealthCheck, payloadFor } from "../rules/schedule";
import { checkWebhookUrl, urlPolicyFor } from "../rules/url-policy";
import { openSecrets } from "../storage/sealed-secrets";
import { type AttemptResult, attempt, failure, realTransport, type Transport } from "./attempt";
import { EndpointRegistry } from "./registry";
import { type DeliveryRow, DeliveryStore } from "./store";

/** Deliveries attempted per alarm run, and at once within it; more due re-arms the alarm at once. */
const BATCH = 50;
const PARALLEL = 10;
/** While attempts run, the alarm stays set this far ahead, so an object evicted mid-attempt tries again. */
const LEASE_MS = 60_000;
/** Events read from D1 per alarm run by a `recover`'s walk. */
const BACKFILL_PAGE = 200;

/**
 * One object per webhook endpoint (`idFromName(endpointId)`): its queue, its retries and its log.
 * The fan-out `enqueue`s events; the alarm, always set to the earliest due attempt, sends them. An
 * attempt's outcome is written in the same step as its log line, after the answer: an object that
 * dies between sending and writing sends again (at least once, same `webhook-id`), never loses one.
 * Endpoints are isolated: one's failures never hold up another's deliveries or the payment path.
 */
export class WebhookEndpointObject extends DurableObject<Env> {
  /** The network and the clock; tests replace them (test/webhooks/webhook-delivery*.test.ts). */
  transport: Transport = realTransport;
  /** Where a test makes the object die after a fetch, before its outcome is written; nothing in production. */
  readonly faults: { afterFetch: (eventId: string) => void } = { afterFetch: () => {} };
  private readonly store = new DeliveryStore(this.ctx.storage.sql);
  /** Where events about the endpoint go on to the merchant's other endpoints; tests swap it. */
  webhookEvents: EventQueue = this.env.WEBHOOK_EVENTS;
  private readonly registry = new EndpointRegistry(
    this.env.DB,
    (merchantId) => readModel(this.env, merchantId),
    () => this.webhookEvents,
  );
  private readonly log = logger;
  private readonly analytics = analyticsSink(this.env, this.ctx);
  /** Events with an attempt in flight: a retry asked for meanwhile is that attempt, not a second one. */
  private readonly sending = new Set<string>();

  /** Queues events for delivery, now. An event already queued here is skipped: `accepted` counts the new ones. */
  async enqueue(endpointId: string, events: DeliverableEvent[]): Promise<{ accepted: number }> {
    let accepted = 0;
    this.ctx.storage.transactionSync(() => {
      this.adopt(endpointId);
      accepted = this.queue(events);
    });
    await this.arm();
    return { accepted };
  }

  /** Stores each event's delivery, due now, unless it is already here; how many were new. Call inside a transaction. */
  private queue(events: DeliverableEvent[]): number {
    const now = this.transport.now();
    return events.filter((event) => this.store.add({ id: event.id, type: event.type, body: payloadFor(event) }, now))
      .length;
  }

  /** The object learns which endpoint it is from its first call (it is named by the endpoint's id, which it cannot read back). */
  private adopt(endpointId: string): void {
    if (this.store.health().endpoint_id === null) this.store.setHealth({ endpoint_id: endpointId });
  }

  /** A customer's redaction (src/webhooks/redaction.ts): the stored payloads of its events are rewritten. */
  async redact(events: DeliverableEvent[]): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      for (const event of events) this.store.rewrite(event.id, payloadFor(event));
    });
  }

  /** The log, newest first: each event's delivery with its attempts. */
  async deliveries(params: { limit: number; starting_after?: string }): Promise<List<WebhookDelivery>> {
    const rows = this.store.page(params.limit, params.starting_after);
    return {
      object: "list",
      data: rows.slice(0, params.limit).map((r) => this.store.toDelivery(r)),
      has_more: rows.length > params.limit,
    };
  }

  /** Sends one event again now, whatever became of it; null if it was never queued here. */
  async retry(eventId: string): Promise<WebhookDelivery | null> {
    if (this.sending.has(eventId)) return this.store.toDelivery(this.store.get(eventId) as DeliveryRow);
    if (!this.store.redeliver(eventId, this.transport.now())) return null;
    await this.arm();
    return this.store.toDelivery(this.store.get(eventId) as DeliveryRow);
  }

  /**
   * Sends again every delivery that failed, of events queued at or after `since` (ISO 8601), and
   * starts a walk of the merchant's events from `since` that queues those this endpoint never got:
   * from while it was disabled, or that the queue gave up on (its dead-letter queue). D1 keeps every
   * event, so it is the source; the walk pages through it in the alarm, not in the caller's request.
   */
  async recover(endpointId: string, since: string): Promise<{ redelivered: number }> {
    let redelivered = 0;
    this.ctx.storage.transactionSync(() => {
      this.adopt(endpointId);
      redelivered = this.store.redeliverFailed(Date.parse(since), this.transport.now());
      this.store.setBackfill(idFloor("evt", Date.parse(since)));
    });
    await this.arm();
    return { redelivered };
  }

  /** A delivery round, then its report: the run's lag, and the deliveries it left pending. */
  override async alarm(): Promise<void> {
    const endpointId = this.store.health().endpoint_id;
    if (endpointId === null) return;
    const startedAt = this.transport.now();
    const next = this.store.nextDue();
    const { traceId } = startSpan(undefined);
    tagInvocation(this.env, { trace_id: traceId, endpoint_id: endpointId });
    const row = await this.registry.load(endpointId);
    const attempted = await this.deliver(row);
    const owner = { merchantId: row?.merchantId, mode: row && modeOf(row.livemode) };
    const pending = this.store.pendingCount();
    this.analytics.write({ kind: "backlog", queue: "webhook", ...owner, count: pending });
    reportAlarm(
      { log: this.log, analytics: this.analytics },
      {
        object: "webhook_endpoint",
        ...owner,
        traceId,
        startedAt,
        dueAt: next ?? undefined,
        fields: { endpoint_id: endpointId, attempted, pending },
      },
    );
  }

  /** Attempts what is due, in parallel batches; returns how many attempts it made. */
  private async deliver(row: WebhookEndpointRow | undefined): Promise<number> {
    if (!(await this.stillDelivering(row))) return 0;
    const live = await this.opened(row as WebhookEndpointRow);
    if (!live) return 0;
    await this.backfill(live);
    const due = this.store.due(this.transport.now(), BATCH);
    if (due.length > 0) await this.ctx.storage.setAlarm(this.transport.now() + LEASE_MS);
    for (let i = 0; i < due.length; i += PARALLEL) {
      const results = await Promise.all(due.slice(i, i + PARALLEL).map((d) => this.send(live, d)));
      if (results.includes("gone")) {
        this.stop();
        return due.length;
      }
    }
    if (await this.stillDelivering(live)) await this.arm();
    return due.length;
  }

  /**
   * The endpoint with its signing secrets opened, resealing any the current key did not seal. With
   * no keyring nothing is sent unsigned or counted as the receiver's failure: the deliveries wait,
   * and the alarm comes back after the lease.
   */
  private async opened(row: WebhookEndpointRow): Promise<WebhookEndpointRow | undefined> {
    const keys = await keyringFrom(this.env.SECRETS_KEY);
    try {
      if (!keys.ok) throw new Error(keys.reason);
      const { opened, resealed } = await openSecrets(keys.keyring, row);
      if (resealed) await this.registry.reseal(row, resealed);
      return opened;
    } catch (error) {
      this.log.error("webhook secrets unavailable", { endpoint_id: row.id, error: String(error) });
      await this.ctx.storage.setAlarm(this.transport.now() + LEASE_MS);
      return undefined;
    }
  }

  /** Queues one page of a `recover`'s walk of the merchant's events; the alarm comes back at once for the next. */
  private async backfill(row: WebhookEndpointRow): Promise<void> {
    const after = this.store.backfillAfter();
    if (after === null) return;
    const page = await this.registry.eventsAfter(row, after, BACKFILL_PAGE);
    this.ctx.storage.transactionSync(() => {
      this.queue(page.events);
      this.store.setBackfill(page.last);
    });
  }

  /** Whether the endpoint still takes deliveries; if not, or if its failures call for it, everything stops. */
  private async stillDelivering(row: WebhookEndpointRow | undefined): Promise<boolean> {
    if (!row || row.status === "disabled") {
      this.stop();
      return false;
    }
    const now = this.transport.now();
    const health = this.store.health();
    const action = healthAction(health.failing_since, health.warned, now);
    if (action === "disable") {
      await this.registry.disable(row, "failing", now);
      this.stop();
      return false;
    }
    if (action === "warn" && health.failing_since !== null) {
      await this.registry.warn(row, health.failing_since, now);
      this.store.setHealth({ warned: true });
    }
    return true;
  }

  /** The endpoint is disabled or deleted: pending deliveries fail (`recover` sends them once it is back). */
  private stop(): void {
    this.ctx.storage.transactionSync(() => {
      this.store.failPending();
      this.store.setHealth({ failing_since: null, warned: false });
    });
    void this.ctx.storage.deleteAlarm();
  }

  /** One attempt of one delivery, its outcome written with its log line. */
  private async send(row: WebhookEndpointRow, delivery: DeliveryRow): Promise<AttemptResult["outcome"]> {
    const now = this.transport.now();
    // The policy is checked again on every attempt: it may have tightened since the URL was stored.
    const verdict = checkWebhookUrl(row.url, urlPolicyFor(this.env, row.livemode));
    this.sending.add(delivery.event_id);
    const result = await (verdict.ok
      ? attempt(this.transport, {
          url: verdict.url.href,
          eventId: delivery.event_id,
          body: delivery.body,
          secrets: signingSecrets(row, now),
        })
      : Promise.resolve(failure(now, 0, `url refused: ${verdict.reason}`))
    ).finally(() => this.sending.delete(delivery.event_id));
    this.faults.afterFetch(delivery.event_id);
    if (result.outcome !== "succeeded") this.reportFailure(row, delivery, result);
    // A 410 disables the endpoint before the attempt is written: a run that dies in between sends
    // again and is told again, rather than leaving an endpoint the receiver has gone from enabled.
    if (result.outcome === "gone") await this.registry.disable(row, "gone", result.attempted_at);
    const next =
      result.outcome === "failed"
        ? nextAttemptAt(delivery.attempts + 1, result.attempted_at, result.retryAfterMs)
        : null;
    this.ctx.storage.transactionSync(() => {
      const status = result.outcome === "succeeded" ? "succeeded" : next === null ? "failed" : "pending";
      this.store.recordAttempt(delivery.event_id, result, { status, next_attempt_at: next });
      if (result.outcome === "succeeded") this.store.setHealth({ failing_since: null, warned: false });
      else if (this.store.health().failing_since === null) this.store.setHealth({ failing_since: result.attempted_at });
    });
    return result.outcome;
  }

  /** A failed attempt's log line and data point; never the URL (it may carry a credential) nor the body. */
  private reportFailure(row: WebhookEndpointRow, delivery: DeliveryRow, result: AttemptResult): void {
    const status = result.status_code ?? 0;
    this.log.warn("webhook attempt failed", {
      endpoint_id: row.id,
      merchant_id: row.merchantId,
      event_id: delivery.event_id,
      attempt: delivery.attempts + 1,
      status,
      outcome: result.outcome,
      error: result.error,
    });
    this.analytics.write({
      kind: "webhook",
      merchantId: row.merchantId,
      mode: modeOf(row.livemode),
      eventType: delivery.type,
      status,
      latencyMs: result.latency_ms,
    });
  }

  /** Sets the alarm to the earliest due attempt or health check, or clears it when nothing is left. */
  private async arm(): Promise<void> {
    const health = this.store.health();
    const backfilling = this.store.backfillAfter() !== null ? this.transport.now() : null;
    const times = [this.store.nextDue(), nextHealthCheck(health.failing_since, health.warned), backfilling].filter(
      (t): t is number => t !== null,
    );
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }
}
