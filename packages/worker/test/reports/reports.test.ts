import { runInDurableObject } from "cloudflare:test";
import type { AgingReport, CollectionsReport, SettlementReport, Statement } from "@tranche/shared";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../../src/objects/customer";
import { reconciliationGap } from "../../src/reports/rules/settlement";
import {
  advanceClock,
  attachCard,
  call,
  createCustomer,
  createPurchase,
  customerWith,
  expectProblem,
  liveKeyFor,
  plusDays,
  purchaseBody,
  settled,
} from "../helpers";
import { countInEveryShard, readModelDb } from "../read-model-db";

const settlements = (key: string, query: string) => call<SettlementReport>(`/v1/reports/settlements?${query}`, { key });

/** Ledger balances straight from D1's copy of the ledger: what every report must agree with. */
async function ledgerSum(merchantId: string, account: string, before = "9999") {
  await settled();
  const row = await (await readModelDb(merchantId))
    .prepare(
      "SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_entries WHERE merchant_id = ? AND account = ? AND created_at < ?",
    )
    .bind(merchantId, account, before)
    .first<{ s: number }>();
  return row?.s ?? 0;
}

describe("settlement report", () => {
  it("shows captures and collections per day, reconciling to the ledger", async () => {
    const { key, merchant, customer, card } = await customerWith();
    const start = "2027-01-10T09:00:00.000Z";
    await advanceClock(key, customer.id, start);
    await createPurchase(key, purchaseBody(customer.id, card.id));
    await advanceClock(key, customer.id, plusDays(start, 15));

    const { status, body } = await settlements(key, "from=2027-01-01&to=2027-02-01&granularity=day");
    expect(status).toBe(200);
    expect(body.data).toHaveLength(31); // every day of January, moving or not
    expect(body.data.filter((r) => r.captured || r.collected).map((r) => [r.period, r.captured, r.collected])).toEqual([
      ["2027-01-10", 12000, 3000],
      ["2027-01-24", 0, 3000],
    ]);
    expect(body.data.map((r) => r.receivable_closing).slice(8, 11)).toEqual([0, 9000, 9000]);
    for (const row of body.data) expect(reconciliationGap(row)).toBe(0);
    expect(body.data.at(-1)?.receivable_closing).toBe(await ledgerSum(merchant.id, "customer_receivable"));
    expect(body.data.at(-1)?.receivable_closing).toBe(6000);
    expect(body.data.reduce((s, r) => s + r.net_payable, 0)).toBe(-(await ledgerSum(merchant.id, "merchant_payable")));
  });

  it("counts a ledger line once however many times it is copied to D1", async () => {
    const { key, customer, card, stub } = await customerWith("tok_succeed_after_1");
    await advanceClock(key, customer.id, "2027-05-03T10:00:00.000Z");
    // Nothing due at checkout (a declined checkout is a 402, issue 18): the due charge fails on day 14, then a retry pays.
    await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later", days: 14 } }));
    await advanceClock(key, customer.id, "2027-06-03T10:00:00.000Z");
    const query = "from=2027-05-01&to=2027-07-01&granularity=week";
    const reports = () =>
      Promise.all([
        settlements(key, query).then((r) => r.body.data),
        call<CollectionsReport>(`/v1/reports/collections?${query}`, { key }).then((r) => r.body.data),
        call<AgingReport>("/v1/reports/aging?as_of=2027-05-20T00:00:00.000Z", { key }).then((r) => r.body.data),
      ]);
    const before = await reports();
    // Forget what D1 acknowledged: the object copies its whole ledger and installment log again.
    await runInDurableObject(stub, async (instance: CustomerObject, state) => {
      state.storage.sql.exec("DELETE FROM projection_marks");
      // The marks are cached in memory too, as they would not be after an eviction.
      (instance as unknown as { parts: { outbox: { marks?: unknown } } }).parts.outbox.marks = undefined;
      await instance.repair();
    });
    expect(await reports()).toEqual(before);
    expect(before[0].some((r) => r.collected > 0)).toBe(true);
  });

  it("sees a long test-clock advance at once, though it appends more rows than one copy to D1 takes", async () => {
    const { key, customer, card, stub } = await customerWith();
    await advanceClock(key, customer.id, "2027-01-10T09:00:00.000Z");
    const plan = { type: "financing", months: 36, apr_bps: 1200 };
    for (let k = 0; k < 2; k++) await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 36000, plan }));
    await advanceClock(key, customer.id, "2030-02-10T09:00:00.000Z");
    const inObject = await runInDurableObject(
      stub,
      (_instance, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM ledger").one().n,
    );
    expect(inObject).toBeGreaterThan(200); // more than one batch
    await settled();
    const inD1 = await countInEveryShard("SELECT COUNT(*) AS n FROM ledger_entries WHERE customer_id = ?", customer.id);
    expect(inD1).toBe(inObject);
  });

  it("puts a charge at 23:30 UTC on the next day in Stockholm, and on the same day in UTC", async () => {
    const { key, customer, card } = await customerWith();
    await advanceClock(key, customer.id, "2027-01-15T23:30:00.000Z");
    await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_in_full" } }));
    const day = async (timezone: string) => {
      const { body } = await settlements(key, `from=2027-01-14&to=2027-01-18&timezone=${timezone}`);
      return body.data.filter((r) => r.collected > 0).map((r) => [r.period, r.period_start, r.collected]);
    };
    expect(await day("UTC")).toEqual([["2027-01-15", "2027-01-15T00:00:00.000Z", 12000]]);
    expect(await day("Europe/Stockholm")).toEqual([["2027-01-16", "2027-01-15T23:00:00.000Z", 12000]]);
  });

  it("bounds a month across a daylight-saving change at local midnights", async () => {
    const { key, customer, card } = await customerWith();
    await advanceClock(key, customer.id, "2027-03-31T21:30:00.000Z"); // 23:30 in Stockholm (CEST), still March
    await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_in_full" } }));
    const { body } = await settlements(
      key,
      "from=2027-03-01&to=2027-05-01&granularity=month&timezone=Europe/Stockholm",
    );
    expect(body.data.map((r) => [r.period, r.period_start, r.period_end, r.collected])).toEqual([
      ["2027-03", "2027-02-28T23:00:00.000Z", "2027-03-31T22:00:00.000Z", 12000],
      ["2027-04", "2027-03-31T22:00:00.000Z", "2027-04-30T22:00:00.000Z", 0],
    ]);
  });

  it("exports CSV that a real parser reads back to the JSON's figures", async () => {
    const { key, customer, card } = await customerWith();
    await advanceClock(key, customer.id, "2027-02-01T10:00:00.000Z");
    await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10001, currency: "EUR" }));
    const query = "from=2027-02-01&to=2027-03-01&granularity=week";
    const json = (await settlements(key, query)).body;
    const raw = await fetchRaw(key, `/v1/reports/settlements?${query}`, { Accept: "text/csv" });
    expect(raw.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(raw.headers.get("Content-Disposition")).toBe(
      'attachment; filename="tranche-settlements-2027-02-01-2027-03-01-week.csv"',
    );
    const text = await raw.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(json.data.length);
    parsed.data.forEach((row, k) => {
      const expected = json.data[k];
      expect(row.period).toBe(expected?.period);
      expect(Number(row.captured)).toBe(expected?.captured);
      expect(row.captured_major).toBe((expected?.captured ?? 0) === 10001 ? "100.01" : "0.00");
      expect(Number(row.collected)).toBe(expected?.collected);
      expect(Number(row.receivable_closing)).toBe(expected?.receivable_closing);
    });
  });

  it("refuses bad parameters with a 400 naming each one", async () => {
    const { key } = await customerWith();
    const bad: [string, string][] = [
      ["from=2027-02-01&to=2027-01-01", "to"],
      ["from=2027-01-01&to=2027-01-01", "to"],
      ["from=2020-01-01&to=2027-01-01&granularity=day", "to"],
      ["from=2027-01-01&to=2027-02-01&timezone=Mars/Olympus_Mons", "timezone"],
      ["from=2027-01-01&to=2027-02-01&currency=XXX", "currency"],
      ["from=yesterday&to=2027-02-01", "from"],
      ["from=2027-01-01&to=2027-02-01&granularity=fortnight", "granularity"],
      ["to=2027-02-01", "from"],
      ["from=2027-01-01&to=2027-02-01&format=xlsx", "format"],
    ];
    for (const [query, param] of bad) {
      const problem = await expectProblem(settlements(key, query), 400, "validation_error");
      expect(
        problem.errors?.map((e) => e.path),
        query,
      ).toContain(param);
    }
  });
});

async function fetchRaw(key: string, path: string, headers: Record<string, string> = {}) {
  const { SELF } = await import("cloudflare:test");
  return SELF.fetch(`http://tranche.test${path}`, { headers: { Authorization: `Bearer ${key}`, ...headers } });
}

describe("collections and aging", () => {
  it("counts installments by due date and how they ended, and ages what is owed", async () => {
    const { key, merchant, customer, card } = await customerWith("tok_succeed_after_1");
    const start = "2027-03-01T12:00:00.000Z";
    await advanceClock(key, customer.id, start);
    // 4 × 3000, due 1, 14, 28 and 31 days on; the first charge fails. Nothing is due at checkout, so it
    // goes to dunning: declined at checkout or at a capture by hand, it would be a 402 (issue 18).
    for (const days of [1, 14, 28, 31]) {
      await createPurchase(
        key,
        purchaseBody(customer.id, card.id, { amount: 3000, plan: { type: "pay_later", days } }),
      );
    }
    await advanceClock(key, customer.id, plusDays(start, 3)); // the first is retried a day later, and paid

    const coll = await call<CollectionsReport>(
      "/v1/reports/collections?from=2027-03-01&to=2027-05-01&granularity=month",
      {
        key,
      },
    );
    expect(coll.status).toBe(200);
    const [march, april] = coll.body.data;
    expect(march).toMatchObject({
      period: "2027-03",
      due_count: 3,
      due_amount: 9000,
      collected_late_count: 1,
      collected_late_amount: 3000,
      outstanding_count: 2,
      outstanding_amount: 6000,
      in_dunning_count: 0,
      collection_rate: 1,
      recovery_rate: 1,
    });
    expect(april).toMatchObject({ period: "2027-04", due_count: 1, outstanding_amount: 3000, collection_rate: null });

    const aging = await call<AgingReport>("/v1/reports/aging", { key });
    expect(aging.body.data).toEqual([
      { currency: "EUR", not_yet_due: 9000, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: 9000 },
    ]);
    expect(aging.body.data[0]?.total).toBe(await ledgerSum(merchant.id, "customer_receivable"));
  });

  it("ages the book as it stood at a past instant, from the changes before it", async () => {
    const { key, merchant, customer, card } = await customerWith("tok_insufficient_funds");
    const start = "2027-01-05T08:00:00.000Z";
    await advanceClock(key, customer.id, start);
    await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later", days: 30 } }));
    await advanceClock(key, customer.id, plusDays(start, 120)); // declined on every retry: failed_final

    const at = async (asOf: string) =>
      (await call<AgingReport>(`/v1/reports/aging?as_of=${asOf}`, { key })).body.data[0];
    expect(await at("2027-01-05T07:59:59.999Z")).toBeUndefined(); // before the capture
    expect(await at(plusDays(start, 10))).toMatchObject({ not_yet_due: 12000, total: 12000 });
    // Due on day 30; a late fee of 500 is added when the first retry is declined.
    expect(await at(plusDays(start, 45))).toMatchObject({ days_1_30: 12500, total: 12500 });
    expect(await at(plusDays(start, 75))).toMatchObject({ days_31_60: 12500 });
    expect(await at(plusDays(start, 110))).toMatchObject({ days_61_90: 12500 });
    expect(await at(plusDays(start, 130))).toMatchObject({ days_over_90: 12500 });
    // On the day of a change, before and after it: the late fee is added at 08:00 on day 31, when the
    // first retry is declined. Near the book's end, so aged backward from what is owed now.
    expect(await at(plusDays(start, 30.9))).toMatchObject({ days_1_30: 12000, total: 12000 });
    expect(await at(plusDays(start, 31.1))).toMatchObject({ days_1_30: 12500, total: 12500 });
    for (const days of [10, 30.9, 31.1, 45, 75, 130]) {
      const asOf = plusDays(start, days);
      expect((await at(asOf))?.total).toBe(await ledgerSum(merchant.id, "customer_receivable", asOf));
    }
  });
});

describe("customer statement", () => {
  it("lists every posting with the balance after it, from the customer's own ledger", async () => {
    const { key, customer, card } = await customerWith();
    await advanceClock(key, customer.id, "2027-04-01T10:00:00.000Z");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    await call(`/v1/purchases/${p.id}/refunds`, { key, body: { amount: 4000 } });

    const { status, body } = await call<Statement>(
      `/v1/customers/${customer.id}/statement?from=2027-04-01&to=2027-05-01`,
      { key },
    );
    expect(status).toBe(200);
    expect(body.data.map((l) => [l.type, l.amount, l.cash, l.balance])).toEqual([
      ["capture", 12000, 0, 12000],
      ["payment", -3000, 3000, 9000],
      ["refund", -4000, 0, 5000],
    ]);
    expect(body.balances).toEqual([{ currency: "EUR", opening: 0, closing: 5000 }]);

    const later = await call<Statement>(`/v1/customers/${customer.id}/statement?from=2027-04-02&to=2027-05-01`, {
      key,
    });
    expect(later.body).toMatchObject({ balances: [{ currency: "EUR", opening: 5000, closing: 5000 }], data: [] });
  });

  it("is another merchant's 404, and a test key never sees live-mode books", async () => {
    const { customer } = await customerWith();
    const other = await customerWith();
    await expectProblem(
      call(`/v1/customers/${customer.id}/statement?from=2027-01-01&to=2027-02-01`, { key: other.key }),
      404,
      "not_found",
    );
    const live = await liveKeyFor(other.merchant.id);
    const liveCustomer = await createCustomer(live);
    const liveCard = await attachCard(live, liveCustomer.id);
    await createPurchase(live, purchaseBody(liveCustomer.id, liveCard.id));
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = plusDays(new Date().toISOString(), 2).slice(0, 10);
    const q = `from=${today}&to=${tomorrow}&granularity=total`;
    expect((await settlements(live, q)).body.data.map((r) => r.captured)).toEqual([12000]);
    expect((await settlements(other.key, q)).body.data).toEqual([]);
    expect((await call<AgingReport>("/v1/reports/aging", { key: other.key })).body.data).toEqual([]);
  });
});
