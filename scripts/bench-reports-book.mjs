// One merchant's book for the reports benchmark, generated deterministically: each customer's
// purchases, ledger postings and installment states from a seed and the customer's index, and the
// projection messages its customer object would hand over (bench-reports-seed.mjs writes them into
// D1 through the projection consumer's statements).

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A ULID-shaped id like the Worker's `newId`, its random part from `rand`. */
export function ulid(prefix, ms, rand) {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rand() * 32)];
  return `${prefix}_${time}${tail}`;
}

export const DAY = 86_400_000;
export const iso = (ms) => new Date(ms).toISOString();
const addMonthsClamped = (ms, n) => {
  const d = new Date(ms);
  const day = d.getUTCDate();
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + n);
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.getTime();
};

/** Currencies of the book and how their customers are spread (SEK amounts are ten times larger). */
const CURRENCIES = [
  ["EUR", 0.5, 1],
  ["SEK", 0.25, 10],
  ["USD", 0.25, 1],
];

/** pay_in_4: four equal parts every 14 days, the first at capture, leftover minor units to the first. */
function payIn4(amount, t0) {
  const part = Math.floor(amount / 4);
  return [0, 1, 2, 3].map((k) => ({
    number: k + 1,
    due: t0 + k * 14 * DAY,
    principal: part + (k === 0 ? amount - 4 * part : 0),
    interest: 0,
  }));
}

/** 12 monthly level payments at 19.99% APR, first a month after capture; the last absorbs rounding. */
function financing12(amount, t0) {
  const n = 12;
  const r = 1999 / 10_000 / 12;
  const payment = Math.round((amount * r) / (1 - (1 + r) ** -n));
  let balance = amount;
  return Array.from({ length: n }, (_, k) => {
    const interest = Math.round(balance * r);
    const principal = k === n - 1 ? balance : Math.min(balance, payment - interest);
    balance -= principal;
    return { number: k + 1, due: addMonthsClamped(t0, k + 1), principal, interest };
  });
}

/**
 * One customer's whole history up to `now`: ledger postings and installment states, in the order
 * the customer's object would have made them. Deterministic in (seed, index).
 */
export function customerBook(seed, index, now, span) {
  const rand = mulberry32((seed * 1_000_003 + index * 7919) >>> 0);
  const pick = (weights) => {
    let x = rand();
    for (const w of weights) {
      x -= w[1];
      if (x < 0) return w;
    }
    return weights[weights.length - 1];
  };
  const [currency, , scale] = pick(CURRENCIES);
  const since = now - span;
  const firstAt = since + Math.floor(rand() * span);
  const customer = ulid("cus", firstAt, rand);
  const out = []; // { at, order, kind: "post" | "log", ... }
  let order = 0;
  const post = (at, purchase, event, lines) =>
    out.push({ at, order: order++, kind: "post", purchase, event, lines: lines.filter(([, a]) => a !== 0) });
  const log = (at, purchase, inst, status, outcome) =>
    out.push({
      at,
      order: order++,
      kind: "log",
      purchase,
      number: inst.number,
      due_at: iso(inst.due),
      status,
      outcome,
      amount: inst.principal + inst.interest + inst.fee,
      owed: ["pending", "dunning", "failed"].includes(outcome) ? inst.principal + inst.interest + inst.fee : 0,
    });

  // 1 to 4 purchases, mostly 1 or 2.
  const count = 1 + (rand() < 0.45 ? 1 : 0) + (rand() < 0.2 ? 1 : 0) + (rand() < 0.08 ? 1 : 0);
  for (let p = 0; p < count; p++) {
    const t0 = p === 0 ? firstAt : since + Math.floor(rand() * span);
    const financed = rand() < 0.3;
    const amount = Math.round(
      (financed ? 30_000 + rand() * 270_000 : 2_000 + rand() * 48_000) * scale * (0.5 + rand()),
    );
    const purchase = ulid("pur", t0, rand);
    const plan = (financed ? financing12 : payIn4)(amount, t0).map((i) => ({ ...i, fee: 0, done: false }));
    const interestTotal = plan.reduce((s, i) => s + i.interest, 0);
    post(t0, purchase, "capture", [
      ["customer_receivable", amount + interestTotal],
      ["merchant_payable", -amount],
      ["unearned_interest", -interestTotal],
    ]);
    for (const inst of plan) log(t0, purchase, inst, "scheduled", "pending");

    const paid = (at, inst, late) => {
      const charge = inst.principal + inst.interest + inst.fee;
      post(at, purchase, "installment_paid", [
        ["processor_clearing", charge],
        ["customer_receivable", -charge],
        ["unearned_interest", inst.interest],
        ["interest_income", -inst.interest],
      ]);
      inst.done = true;
      log(at, purchase, inst, "paid", late ? "late" : "on_time");
    };

    // pay_in_4's first part is charged at capture.
    if (!financed) paid(t0, plan[0], false);

    // About 3% are refunded in full before the next installment falls due.
    const refundAt = t0 + DAY + Math.floor(rand() * 11 * DAY);
    if (rand() < 0.03 && refundAt <= now) {
      const open = plan.filter((i) => !i.done);
      const cash = plan.filter((i) => i.done).reduce((s, i) => s + i.principal, 0);
      const principal = open.reduce((s, i) => s + i.principal, 0);
      const interest = open.reduce((s, i) => s + i.interest, 0);
      post(refundAt, purchase, "refund", [
        ["merchant_payable", amount],
        ["customer_receivable", -(principal + interest)],
        ["unearned_interest", interest],
        ["customer_credit", -cash],
      ]);
      for (const inst of open) {
        inst.done = true;
        log(refundAt, purchase, inst, "refunded", "none");
      }
      if (cash > 0 && refundAt + 2 * DAY <= now)
        post(refundAt + 2 * DAY, purchase, "refund_payout", [
          ["customer_credit", cash],
          ["processor_clearing", -cash],
        ]);
      continue;
    }

    for (const inst of plan) {
      if (inst.done) continue;
      const tf = inst.due + Math.floor(rand() * 300_000);
      if (tf > now) continue;
      if (rand() < 0.9) {
        paid(tf, inst, false);
        continue;
      }
      // The charge fails: dunning, perhaps a late fee, retries, then failed for good.
      log(tf, purchase, inst, "failed", "dunning");
      if (rand() < 0.5) {
        const fee = Math.min(2_500 * scale, Math.max(100 * scale, Math.round((inst.principal + inst.interest) * 0.05)));
        post(tf + 1, purchase, "late_fee", [
          ["customer_receivable", fee],
          ["fee_income", -fee],
        ]);
        inst.fee += fee;
        log(tf + 1, purchase, inst, "retrying", "dunning");
      }
      const r1 = rand();
      if (r1 < 0.55) {
        if (tf + 3 * DAY <= now) paid(tf + 3 * DAY, inst, true);
        continue;
      }
      if (r1 < 0.8) {
        if (tf + 7 * DAY <= now) paid(tf + 7 * DAY, inst, true);
        continue;
      }
      if (tf + 10 * DAY > now) continue;
      log(tf + 10 * DAY, purchase, inst, "failed_final", "failed");
      const r2 = rand();
      if (r2 < 0.3) {
        if (tf + 20 * DAY <= now) paid(tf + 20 * DAY, inst, true);
      } else if (r2 < 0.8 && tf + 60 * DAY <= now) {
        const charge = inst.principal + inst.interest + inst.fee;
        post(tf + 60 * DAY, purchase, "write_off", [
          ["bad_debt", inst.principal + inst.fee],
          ["unearned_interest", inst.interest],
          ["customer_receivable", -charge],
        ]);
        inst.done = true;
        log(tf + 60 * DAY, purchase, inst, "written_off", "written_off");
      }
    }
  }
  out.sort((a, b) => a.at - b.at || a.order - b.order);
  return { customer, currency, events: out };
}

/**
 * A customer's book as its object hands it to the projection queue
 * (packages/worker/src/projection/message.ts): one message per instant, as each command's
 * transaction is pushed; ledger lines and installment states numbered by their row ids in the
 * object, each state carrying the one it replaces. Customers, purchases and events are not sent:
 * no report reads them (so these customers cannot be used through the rest of the API).
 */
export function customerMessages(merchantId, { customer, currency, events }) {
  const messages = [];
  const latest = new Map();
  const purchases = new Set();
  let line = 0;
  let seq = 0;
  let posting = 0;
  let instant;
  let m;
  for (const e of events) {
    if (e.at !== instant) {
      instant = e.at;
      m = {
        merchantId,
        livemode: false,
        customerId: customer,
        purchases: [],
        ledger: [],
        events: [],
        installment_log: [],
      };
      messages.push(m);
    }
    const at = iso(e.at);
    purchases.add(e.purchase);
    if (e.kind === "post") {
      posting++;
      for (const [account, amount] of e.lines)
        m.ledger.push({
          id: ++line,
          purchase_id: e.purchase,
          posting,
          event: e.event,
          currency,
          account,
          amount,
          created_at: at,
        });
      continue;
    }
    const installment = `${e.purchase}:${e.number}`;
    const state = { due_at: e.due_at, outcome: e.outcome, amount: e.amount, owed: e.owed };
    m.installment_log.push({
      id: ++seq,
      purchase_id: e.purchase,
      number: e.number,
      currency,
      status: e.status,
      at,
      ...state,
      prev: latest.get(installment) ?? null,
    });
    latest.set(installment, state);
  }
  return { messages, lines: line, states: seq, purchases: purchases.size };
}
