import type { Purchase } from "@tranche/shared";
import { inTrace } from "../../../lib/trace";
import { IDEMPOTENCY_TTL_MS } from "../../idempotency";
import type { Clock } from "../context";
import type { Projected } from "../storage/projection";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import type { CustomerStore } from "../storage/store";
import type { Answer, Decision, Resume } from "./decision";
import { type Caller, type CommandResult, fail, type IdempotencyRef, NOT_RECORDED } from "./index";

/** What the record of an Idempotency-Key says, within its 24 hours. */
export type Recorded = { result: CommandResult<unknown> } | { resume: Resume };

/** What the frame needs to know of a command: who asks, under which key, in which trace. */
export interface CommandMeta {
  caller: Caller;
  idempotency?: IdempotencyRef;
  traceId?: string;
}

export interface FrameHooks {
  /** Inside every command's transaction, before its writes: what D1 acknowledged is recorded. */
  beforeWrites(): void;
  /** Right after every commit, in the same turn: the alarm is re-armed, atomically with the writes. */
  afterCommit(): void;
  /**
   * After every command, not awaited by its answer: what D1 lacks goes to the projection queue and
   * the alarm is re-armed. Never rejects (a failed push stays pending for the alarm).
   */
  catchUp(fresh?: Projected<Purchase>): Promise<void>;
  /** Whether D1 still lacks something of this customer. */
  behind(): boolean;
  /** Resolves a recorded intent: the command's processor call, and its answer (resume.ts). */
  resolve(resume: Resume, customer: CustomerRow): Promise<Answer<unknown>>;
}

/**
 * The frame every customer command runs in. A command reads and decides without writing
 * (decision.ts); the frame commits its writes together with its record under the Idempotency-Key,
 * in one transaction: either its result, or (for a command that calls the processor) its intent,
 * which the frame then resolves and closes with the result. A retry of the key gets the result
 * again, or resolves the intent; a duplicate arriving while the first still runs in this instance
 * waits for it. After every command's answer, D1 catches up and the alarm is re-armed.
 */
export class CommandFrame {
  /** Commands with a key running in this instance, so a concurrent duplicate shares the outcome. */
  private readonly running = new Map<string, { fingerprint: string; outcome: Promise<CommandResult<unknown>> }>();

  constructor(
    private readonly store: CustomerStore,
    private readonly storage: DurableObjectStorage,
    /** Real time, never the customer's test clock: a key lives 24 hours of it, in the shard as here. */
    private readonly realTime: Clock,
    private readonly hooks: FrameHooks,
  ) {}

  /**
   * Runs a command on an existing customer: ownership (another merchant's customer is not found),
   * then one run per Idempotency-Key at a time, replaying a recorded result or resolving a recorded
   * intent; otherwise `decide`, whose decision is carried out, and D1 catches up.
   */
  run<T>(
    cmd: CommandMeta,
    notFound: string,
    decide: (customer: CustomerRow) => Decision<T> | Promise<Decision<T>>,
  ): Promise<CommandResult<T>> {
    return inTrace(cmd.traceId, () =>
      this.once(cmd.idempotency, async () => {
        const customer = this.owned(cmd.caller);
        if (!customer) return fail("not_found", notFound);
        const recorded = this.recorded(cmd.idempotency);
        if (!recorded) return this.carryOut(cmd.idempotency, customer, await decide(customer));
        if ("result" in recorded) {
          // The first run may have died before it handed its writes to D1: the merchant is about to read them.
          if (this.hooks.behind()) void this.hooks.catchUp();
          return recorded.result as CommandResult<T>;
        }
        return (await this.resolve(recorded.resume, cmd.idempotency, customer)) as CommandResult<T>;
      }),
    );
  }

  /** `run` for a command on one of the customer's purchases: an unknown one is not found. */
  onPurchase<T>(
    cmd: CommandMeta & { purchaseId: string },
    decide: (customer: CustomerRow, purchase: PurchaseRow) => Decision<T> | Promise<Decision<T>>,
  ): Promise<CommandResult<T>> {
    const notFound = `No such purchase: '${cmd.purchaseId}'.`;
    return this.run(cmd, notFound, (customer) => {
      const row = this.store.purchase(cmd.purchaseId);
      return row ? decide(customer, row) : fail("not_found", notFound);
    });
  }

  /**
   * Runs `body` once per key at a time in this instance; a duplicate meanwhile gets the same
   * outcome, and another request under the key is refused (no other store has seen the key first).
   */
  async once<T>(idem: IdempotencyRef | undefined, body: () => Promise<CommandResult<T>>): Promise<CommandResult<T>> {
    if (!idem) return body();
    const running = this.running.get(idem.key);
    if (running?.fingerprint === idem.fingerprint)
      return { ...((await running.outcome) as CommandResult<T>), replayed: true };
    if (running) return keyReused();
    const outcome = body();
    this.running.set(idem.key, { fingerprint: idem.fingerprint, outcome });
    try {
      return await outcome;
    } finally {
      this.running.delete(idem.key);
    }
  }

  /** The customer, if this object holds one and it belongs to the caller's merchant and mode. */
  owned(caller: Caller): CustomerRow | undefined {
    const c = this.store.customer();
    return c && c.merchant_id === caller.merchantId && c.livemode === (caller.livemode ? 1 : 0) ? c : undefined;
  }

  /** The key's record within 24 hours of real time, or a refusal if it was used for another request. */
  recorded(idem: IdempotencyRef | undefined): Recorded | undefined {
    if (!idem || !this.store.ready) return undefined;
    const row = this.storage.sql
      .exec<{ fingerprint: string; result: string | null; resume: string | null }>(
        "SELECT fingerprint, result, resume FROM commands WHERE idempotency_key = ? AND created_at > ?",
        idem.key,
        this.expiredBefore(),
      )
      .toArray()[0];
    if (!row) return undefined;
    if (row.fingerprint !== idem.fingerprint) return { result: keyReused() };
    if (row.result !== null)
      return { result: { ...(JSON.parse(row.result) as CommandResult<unknown>), replayed: true } };
    return { resume: JSON.parse(row.resume ?? "null") as Resume };
  }

  /**
   * One transaction: acknowledged outbox rows, expired records pruned (so records need no alarm
   * of their own), the command's writes, and its record: the result, or the intent to resume.
   */
  commit(idem: IdempotencyRef | undefined, writes: () => void, outcome: () => Recorded): void {
    const { hooks } = this;
    this.store.transact(() => {
      hooks.beforeWrites();
      this.prune();
      writes();
      // The outcome is read after the writes, in the same transaction: the answer shows them.
      const record = outcome();
      const kept = "resume" in record || record.result.ok || !NOT_RECORDED.has(record.result.code);
      if (!idem || !kept) return;
      this.storage.sql.exec(
        "INSERT INTO commands (idempotency_key, fingerprint, result, resume, created_at) VALUES (?, ?, ?, ?, ?)",
        idem.key,
        idem.fingerprint,
        "result" in record ? JSON.stringify(record.result) : null,
        "resume" in record ? JSON.stringify(record.resume) : null,
        this.realTime.now().toISOString(),
      );
    });
    hooks.afterCommit();
  }

  /** After a command: D1's read model catches up and the alarm is re-armed; awaited only off the answer's path. */
  catchUp(fresh?: Projected<Purchase>): Promise<void> {
    return this.hooks.catchUp(fresh);
  }

  /** Drops records past their 24 hours; run by every commit and every alarm, never by an alarm of its own. */
  prune(): void {
    this.storage.sql.exec("DELETE FROM commands WHERE created_at <= ?", this.expiredBefore());
  }

  /**
   * A decision carried out: a refusal recorded (unless a corrected retry may fix it: those write
   * nothing), or the writes committed with the answer, or with the intent, which is then resolved.
   */
  private async carryOut<T>(
    idem: IdempotencyRef | undefined,
    customer: CustomerRow,
    decision: Decision<T>,
  ): Promise<CommandResult<T>> {
    if ("ok" in decision) {
      if (!NOT_RECORDED.has(decision.code))
        this.commit(
          idem,
          () => {},
          () => ({ result: decision }),
        );
      return decision;
    }
    if ("resume" in decision) {
      this.commit(idem, decision.writes, () => ({ resume: decision.resume }));
      return (await this.resolve(decision.resume, idem, customer)) as CommandResult<T>;
    }
    let answer: Answer<T> | undefined;
    this.commit(idem, decision.writes, () => {
      answer = decision.answer();
      return { result: answer.result };
    });
    if (!answer) throw new Error("a committed command has no answer");
    void this.hooks.catchUp(answer.purchase);
    return answer.result;
  }

  /** Resolves a recorded intent and closes the record with its answer; the first answer recorded is the one replayed. */
  private async resolve(
    resume: Resume,
    idem: IdempotencyRef | undefined,
    customer: CustomerRow,
  ): Promise<CommandResult<unknown>> {
    const answer = await this.hooks.resolve(resume, customer);
    const result = this.complete(idem, answer.result);
    void this.hooks.catchUp(answer.purchase);
    return result;
  }

  private complete<T>(idem: IdempotencyRef | undefined, result: CommandResult<T>): CommandResult<T> {
    if (!idem) return result;
    const recorded = this.storage.sql
      .exec<{ result: string }>(
        "UPDATE commands SET result = COALESCE(result, ?), resume = NULL WHERE idempotency_key = ? RETURNING result",
        JSON.stringify(result),
        idem.key,
      )
      .toArray()[0];
    return recorded ? (JSON.parse(recorded.result) as CommandResult<T>) : result;
  }

  private expiredBefore(): string {
    return new Date(this.realTime.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}

const keyReused = () =>
  fail("idempotency_key_reused", "This Idempotency-Key was already used with a different request.");
