import { DurableObject } from "cloudflare:workers";
import type { Customer, PaymentMethod, Purchase } from "@tranche/shared";
import { buildSchedule, PlanError } from "@tranche/shared";
import { checkCredit, creditLimit } from "../../domain/credit";
import { newId } from "../../lib/ids";
import { cardForTestToken } from "../../processor/test-tokens";
import type {
  AttachPaymentMethodCommand,
  Caller,
  CommandResult,
  CreateCustomerCommand,
  CreatePurchaseCommand,
} from "./commands";
import { fail, ok } from "./commands";
import { projectOutbox } from "./projection";
import type { CustomerRow, InstalmentRow, PaymentMethodRow, PurchaseRow } from "./rows";
import { OWED_STATUSES, toCustomer, toPaymentMethod, toPurchase } from "./rows";
import { MIGRATIONS } from "./storage-schema";

const PROJECTION_RETRY_MS = 5_000;

/**
 * One object per customer: the only writer of that customer's money. Each command
 * runs in one synchronous storage transaction, so two commands for one customer
 * never interleave, and the per-customer credit check is race-free.
 */
export class CustomerObject extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  /** Schema version applied; 0 while the object has never been written. */
  private applied = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.applied = this.readSchemaVersion();
      if (this.applied > 0) this.migrate();
    });
  }

  async createCustomer(cmd: CreateCustomerCommand): Promise<CommandResult<Customer>> {
    this.migrate();
    const existing = this.customerRow();
    if (existing) {
      // Only a retry of the create that made this customer may see it here.
      const replay = cmd.idempotencyKey && this.commandResult<Customer>(cmd.idempotencyKey);
      return replay ? ok(replay) : fail("validation_error", "This customer already exists.");
    }
    const now = new Date().toISOString();
    const p = cmd.params;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO customer (id, merchant_id, livemode, email, name, credit_limits, metadata, created_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        cmd.customerId,
        cmd.caller.merchantId,
        cmd.caller.livemode ? 1 : 0,
        p.email ?? null,
        p.name ?? null,
        JSON.stringify(normaliseLimits(p.credit_limits ?? {})),
        JSON.stringify(p.metadata ?? {}),
        now,
      );
      this.enqueue("customer", cmd.customerId, 1);
      this.recordCommand(cmd.idempotencyKey, this.customerOrThrow());
    });
    await this.flushProjections();
    return ok(toCustomer(this.customerOrThrow()));
  }

  async getCustomer(caller: Caller): Promise<Customer | null> {
    const c = this.ownedCustomer(caller);
    return c ? toCustomer(c) : null;
  }

  async attachPaymentMethod(cmd: AttachPaymentMethodCommand): Promise<CommandResult<PaymentMethod>> {
    const customer = this.ownedCustomer(cmd.caller);
    if (!customer) return fail("not_found", "No such customer.");
    const replay = cmd.idempotencyKey && this.commandResult<PaymentMethod>(cmd.idempotencyKey);
    if (replay) return ok(replay);
    const card = cardForTestToken(cmd.token);
    if (!card) {
      return fail("validation_error", `Unknown payment token '${cmd.token}'. See the test tokens in the docs.`);
    }
    const row: PaymentMethodRow = { id: newId("pm"), token: cmd.token, ...card, created_at: new Date().toISOString() };
    const pm = toPaymentMethod(row, customer);
    this.ctx.storage.transactionSync(() => {
      insertRow(this.sql, "payment_methods", row);
      this.recordCommand(cmd.idempotencyKey, pm);
    });
    return ok(pm);
  }

  async listPaymentMethods(caller: Caller): Promise<PaymentMethod[] | null> {
    const customer = this.ownedCustomer(caller);
    if (!customer) return null;
    return this.sql
      .exec<PaymentMethodRow & Record<string, SqlStorageValue>>("SELECT * FROM payment_methods ORDER BY id DESC")
      .toArray()
      .map((r) => toPaymentMethod(r, customer));
  }

  async createPurchase(cmd: CreatePurchaseCommand): Promise<CommandResult<Purchase>> {
    const customer = this.ownedCustomer(cmd.caller);
    if (!customer) return fail("not_found", `No such customer: '${cmd.params.customer}'.`);
    const replay = cmd.idempotencyKey && this.commandResult<Purchase>(cmd.idempotencyKey);
    if (replay) return ok(replay);

    const p = cmd.params;
    const pm = this.sql.exec("SELECT id FROM payment_methods WHERE id = ?", p.payment_method).toArray()[0];
    if (!pm) {
      return fail("payment_method_not_found", `Payment method '${p.payment_method}' is not attached to this customer.`);
    }

    const now = new Date();
    let schedule: ReturnType<typeof buildSchedule>;
    try {
      schedule = buildSchedule({ amount: p.amount, currency: p.currency, plan: p.plan, anchor: now });
    } catch (e) {
      if (e instanceof PlanError) return fail("amount_too_small_for_plan", e.message);
      throw e;
    }

    const limit = creditLimit(JSON.parse(customer.credit_limits), p.currency);
    const credit = checkCredit(limit, this.outstandingPrincipal(p.currency), p.amount);
    if (!credit.ok) {
      return fail(
        "credit_limit_exceeded",
        `Amount ${p.amount} exceeds the customer's available credit of ${credit.available} ${p.currency} minor units (limit ${limit}).`,
      );
    }

    const id = newId("pur", now.getTime());
    const captured = p.capture === "automatic";
    const row: PurchaseRow = {
      id,
      status: captured ? "active" : "requires_capture",
      amount: p.amount,
      currency: p.currency,
      interest_total: schedule.interest_total,
      total: schedule.total,
      plan: JSON.stringify(p.plan),
      capture: p.capture,
      captured_at: captured ? now.toISOString() : null,
      payment_method: p.payment_method,
      merchant_reference: p.merchant_reference ?? null,
      line_items: JSON.stringify(p.line_items ?? []),
      metadata: JSON.stringify(p.metadata ?? {}),
      created_at: now.toISOString(),
      version: 1,
    };
    const instalments: InstalmentRow[] = schedule.instalments.map((i) => ({
      purchase_id: id,
      ...i,
      status: "scheduled",
    }));
    const purchase = toPurchase(row, instalments, customer);

    this.ctx.storage.transactionSync(() => {
      insertRow(this.sql, "purchases", row);
      for (const i of instalments) insertRow(this.sql, "instalments", i);
      this.enqueue("purchase", id, row.version);
      this.recordCommand(cmd.idempotencyKey, purchase);
    });
    await this.flushProjections();
    return ok(purchase);
  }

  async getPurchase(caller: Caller, purchaseId: string): Promise<Purchase | null> {
    const customer = this.ownedCustomer(caller);
    return customer ? this.purchase(customer, purchaseId) : null;
  }

  /** Alarms retry projections that did not reach D1 (later: due charges, retries, reminders). */
  override async alarm(): Promise<void> {
    await this.flushProjections();
  }

  /** Pushes every object D1 has not acknowledged. Safe to run concurrently: D1 keeps the highest version. */
  async flushProjections(): Promise<void> {
    const customer = this.customerRow();
    if (!customer) return;
    try {
      await projectOutbox(this.env.DB, this.sql, customer, (id) => this.purchase(customer, id));
    } catch (error) {
      console.error(JSON.stringify({ level: "warn", msg: "projection failed, will retry", error: String(error) }));
      await this.ctx.storage.setAlarm(Date.now() + PROJECTION_RETRY_MS);
    }
  }

  private purchase(customer: CustomerRow, purchaseId: string): Purchase | null {
    const row = this.sql
      .exec<PurchaseRow & Record<string, SqlStorageValue>>("SELECT * FROM purchases WHERE id = ?", purchaseId)
      .toArray()[0];
    if (!row) return null;
    const instalments = this.sql
      .exec<InstalmentRow & Record<string, SqlStorageValue>>(
        "SELECT * FROM instalments WHERE purchase_id = ? ORDER BY number",
        purchaseId,
      )
      .toArray();
    return toPurchase(row, instalments, customer);
  }

  private outstandingPrincipal(currency: string): number {
    const owed = [...OWED_STATUSES].map(() => "?").join(", ");
    const row = this.sql
      .exec<{ owed: number }>(
        `SELECT COALESCE(SUM(i.principal), 0) AS owed FROM instalments i JOIN purchases p ON p.id = i.purchase_id
         WHERE p.currency = ? AND i.status IN (${owed})`,
        currency,
        ...OWED_STATUSES,
      )
      .one();
    return row.owed;
  }

  private enqueue(kind: "customer" | "purchase", id: string, version: number): void {
    this.sql.exec(
      `INSERT INTO outbox (kind, object_id, version) VALUES (?, ?, ?)
       ON CONFLICT (kind, object_id) DO UPDATE SET version = MAX(version, excluded.version)`,
      kind,
      id,
      version,
    );
  }

  private recordCommand(key: string | undefined, result: unknown): void {
    if (!key) return;
    this.sql.exec(
      "INSERT INTO commands (idempotency_key, result, created_at) VALUES (?, ?, ?)",
      key,
      JSON.stringify(result),
      new Date().toISOString(),
    );
  }

  private commandResult<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ result: string }>("SELECT result FROM commands WHERE idempotency_key = ?", key)
      .toArray()[0];
    return row ? (JSON.parse(row.result) as T) : undefined;
  }

  /** The customer, if this object holds one and it belongs to the caller's merchant and mode. */
  private ownedCustomer(caller: Caller): CustomerRow | undefined {
    const c = this.customerRow();
    return c && c.merchant_id === caller.merchantId && c.livemode === (caller.livemode ? 1 : 0) ? c : undefined;
  }

  /** Reads never create tables, so looking up an unknown id leaves no empty object behind. */
  private customerRow(): CustomerRow | undefined {
    if (this.applied === 0) return undefined;
    return this.sql.exec<CustomerRow & Record<string, SqlStorageValue>>("SELECT * FROM customer").toArray()[0];
  }

  private customerOrThrow(): CustomerRow {
    const c = this.customerRow();
    if (!c) throw new Error("customer row missing after insert");
    return c;
  }

  private readSchemaVersion(): number {
    const table = this.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
      .toArray()[0];
    if (!table) return 0;
    return this.sql.exec<{ v: number }>("SELECT v FROM schema_version").one().v;
  }

  private migrate(): void {
    const from = this.applied;
    if (from === MIGRATIONS.length) return;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (v INTEGER NOT NULL)");
      for (const ddl of MIGRATIONS.slice(from)) this.sql.exec(ddl);
      this.sql.exec("DELETE FROM schema_version");
      this.sql.exec("INSERT INTO schema_version (v) VALUES (?)", MIGRATIONS.length);
    });
    this.applied = MIGRATIONS.length;
  }
}

/** Inserts a row object, naming every column, so the column order can never drift from the values. */
function insertRow(sql: SqlStorage, table: string, row: object): void {
  const columns = Object.keys(row);
  sql.exec(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ...(Object.values(row) as SqlStorageValue[]),
  );
}

function normaliseLimits(limits: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).map(([c, v]) => [c.toUpperCase(), v]));
}
