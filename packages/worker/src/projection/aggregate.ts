import type { EventType } from "@tranche/shared";
import type { DeliverableEvent } from "../webhooks/deliverable";
import type { InstallmentState, LogRow, ObjectState, ProjectionMessage } from "./message";

/** The columns every row copied to D1 starts with: its key, `<customer id>:<row id>`, and its owner. */
interface Owned {
  id: string;
  merchant_id: string;
  livemode: number;
  customer_id: string;
}

type Row = Record<string, unknown>;

/** The state of an installment a delta comes from: applied only if D1 has not counted that state yet. */
interface StateKey {
  /** `<customer id>:<seq>`. */
  id: string;
  purchase_id: string;
  number: number;
  seq: number;
}

/** A change of an installment's contribution to the collections rollups or to the receivable. */
export interface CollectionDelta extends StateKey {
  merchant_id: string;
  livemode: number;
  currency: string;
  due_at: string;
  outcome: string;
  count: number;
  amount: number;
}

export interface ReceivableDelta extends StateKey {
  merchant_id: string;
  livemode: number;
  currency: string;
  at: string;
  due_on: string;
  amount: number;
}

/** A queue batch as D1's tables take it: each row once, whatever duplicates the batch held. */
export interface BatchRows {
  customers: Row[];
  purchases: Row[];
  /** Each refund at the highest version of its purchase the batch holds. */
  refunds: Row[];
  ledger_entries: Row[];
  events: Row[];
  /** Events of redacted customers, rewritten: they overwrite D1's copies. */
  redacted_events: Row[];
  /** The latest state of each installment the batch touched, with the numbers of the batch's states of it. */
  installments: Row[];
  collections: CollectionDelta[];
  receivable: ReceivableDelta[];
  /** The batch's events for the webhooks, per merchant and mode, in the order they happened. */
  deliveries: { merchantId: string; livemode: boolean; events: DeliverableEvent[] }[];
  /** The rewritten events whose stored deliveries must be rewritten too, per merchant and mode. */
  redactions: { merchantId: string; livemode: boolean; events: DeliverableEvent[] }[];
}

/** Keeps, per key, the row with the highest `rank` (the first seen on a tie). */
function highest<T>(rows: T[], key: (row: T) => string, rank: (row: T) => number): T[] {
  const kept = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const current = kept.get(k);
    if (!current || rank(row) > rank(current)) kept.set(k, row);
  }
  return [...kept.values()];
}

const once = <T extends { id: string }>(rows: T[]) =>
  highest(
    rows,
    (r) => r.id,
    () => 0,
  );

type Source = Owned & StateKey;

/** What a state of an installment adds to the collections rollups (`sign` -1 takes it out). */
function collection(source: Source, currency: string, state: InstallmentState, sign: number): CollectionDelta[] {
  if (state.outcome === "none") return [];
  const { due_at, outcome, amount } = state;
  return [{ ...source, currency, due_at, outcome, count: sign, amount: sign * amount }];
}

function receivable(source: Source, currency: string, at: string, state: InstallmentState, sign: number) {
  if (state.owed === 0) return [];
  return [{ ...source, currency, at, due_on: state.due_at.slice(0, 10), amount: sign * state.owed }];
}

/**
 * Turns a queue batch into the rows D1 is written: each object at its highest version, each
 * append-only row once, each installment at its latest state with the numbers of the batch's states
 * of it, and the rollup deltas of every state (its previous state out, its new state in), which the
 * statements apply only for states D1 has not counted yet and sum per rollup row.
 */
export function aggregate(messages: ProjectionMessage[]): BatchRows {
  const rows: Omit<BatchRows, "deliveries" | "redactions"> = {
    customers: [],
    purchases: [],
    refunds: [],
    ledger_entries: [],
    events: [],
    redacted_events: [],
    installments: [],
    collections: [],
    receivable: [],
  };
  const log: (Row & StateKey)[] = [];
  const deliveries = new Map<string, BatchRows["deliveries"][number]>();
  const redactions: BatchRows["redactions"] = [];
  for (const m of messages) {
    const base = { merchant_id: m.merchantId, livemode: m.livemode ? 1 : 0, customer_id: m.customerId };
    const owned = (n: number): Owned => ({ id: `${m.customerId}:${n}`, ...base });
    const object = (id: string, state: ObjectState) => ({ ...state, id, ...base });
    if (m.customer) rows.customers.push(object(m.customerId, m.customer));
    for (const { refunds, ...p } of m.purchases) {
      rows.purchases.push(object(p.id, p));
      const at = { purchase_id: p.id, currency: p.currency, version: p.version };
      for (const r of refunds ?? []) rows.refunds.push(object(r.id, { ...r, ...at }));
    }
    for (const l of m.ledger) rows.ledger_entries.push({ ...l, ...owned(l.id) });
    for (const e of m.events) rows.events.push({ ...e, ...owned(e.id) });
    for (const e of m.redacted_events ?? []) rows.redacted_events.push({ ...e, ...owned(e.id) });
    const redacted = (m.redacted_events ?? []).flatMap((e) => (e.event_id ? [deliverable(e.event_id, e)] : []));
    if (redacted.length > 0) redactions.push({ merchantId: m.merchantId, livemode: m.livemode, events: redacted });
    for (const l of m.installment_log) {
      const source: Source = { ...owned(l.id), purchase_id: l.purchase_id, number: l.number, seq: l.id };
      log.push(logColumns(l, source));
      if (l.prev) rows.collections.push(...collection(source, l.currency, l.prev, -1));
      rows.collections.push(...collection(source, l.currency, l, 1));
      if (l.prev) rows.receivable.push(...receivable(source, l.currency, l.at, l.prev, -1));
      rows.receivable.push(...receivable(source, l.currency, l.at, l, 1));
    }
    const key = `${m.merchantId}:${m.livemode}`;
    const delivery = deliveries.get(key) ?? { merchantId: m.merchantId, livemode: m.livemode, events: [] };
    for (const e of m.events) if (e.event_id) delivery.events.push(deliverable(e.event_id, e));
    if (delivery.events.length > 0) deliveries.set(key, delivery);
  }
  const states = once(log);
  const installment = (r: Pick<StateKey, "purchase_id" | "number">) => `${r.purchase_id}:${r.number}`;
  const seqs = new Map<string, number[]>();
  for (const r of states) seqs.set(installment(r), [...(seqs.get(installment(r)) ?? []), r.seq]);
  return {
    customers: highest(
      rows.customers,
      (r) => String(r.id),
      (r) => Number(r.version),
    ),
    purchases: highest(
      rows.purchases,
      (r) => String(r.id),
      (r) => Number(r.version),
    ),
    refunds: highest(
      rows.refunds,
      (r) => String(r.id),
      (r) => Number(r.version),
    ),
    ledger_entries: once(rows.ledger_entries as (Row & { id: string })[]),
    events: once(rows.events as (Row & { id: string })[]),
    redacted_events: once(rows.redacted_events as (Row & { id: string })[]),
    redactions,
    installments: highest(states, installment, (r) => r.seq).map(({ id: _key, at: _at, ...state }) => ({
      ...state,
      states: seqs.get(installment(state))?.sort((a, b) => a - b),
    })),
    // A delta's key is its state's plus its sign: both halves of a state count once.
    collections: highest(
      rows.collections,
      (d) => `${d.id}:${d.count}`,
      () => 0,
    ),
    receivable: highest(
      rows.receivable,
      (d) => `${d.id}:${Math.sign(d.amount)}`,
      () => 0,
    ),
    deliveries: [...deliveries.values()].map((d) => ({
      ...d,
      events: highest(
        d.events,
        (e) => e.id,
        () => 0,
      ).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    })),
  };
}

/** A state in D1's columns: the object's row id becomes `seq`, the installment's order of states. */
function logColumns(l: LogRow, source: Source): Row & StateKey {
  const { id: _seq, prev: _prev, ...state } = l;
  return { ...state, ...source };
}

function deliverable(id: string, e: ProjectionMessage["events"][number]): DeliverableEvent {
  return { id, type: e.type as EventType, created_at: e.created_at, data: JSON.parse(e.data) as unknown };
}
