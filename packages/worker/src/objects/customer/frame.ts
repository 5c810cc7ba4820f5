import { IDEMPOTENCY_TTL_MS } from "../idempotency";
import type { Clock } from "./collections";
import { type CommandResult, fail, type IdempotencyRef, NOT_RECORDED } from "./commands";
import type { CustomerStore } from "./store";

/**
 * How to finish a command whose record says it is still running: the intent it recorded before
 * calling the processor. `capture` charges what fell due at capture; `refund` sends its payouts;
 * `payment` sends a pay-now or payoff charge.
 */
export type Resume =
  | { kind: "capture"; purchase: string }
  | { kind: "refund"; refund: string }
  | { kind: "payment"; intent: string; purchase: string };

/** What the record of an Idempotency-Key says, within its 24 hours. */
export type Recorded = { result: CommandResult<unknown> } | { resume: Resume };

/**
 * The frame every customer command runs in. A command reads and decides without writing; then
 * `commit` writes everything it changed together with its record under the Idempotency-Key, in
 * one transaction: either its result, or (for a command that calls the processor) its intent
 * marked in progress, which `complete` later closes with the result. A retry of the key gets
 * the result again, or finishes the intent; a duplicate arriving while the first still runs in
 * this instance waits for it.
 */
export class CommandFrame {
  /** Commands with a key running in this instance, so a concurrent duplicate shares the outcome. */
  private readonly running = new Map<string, Promise<CommandResult<unknown>>>();

  constructor(
    private readonly store: CustomerStore,
    private readonly storage: DurableObjectStorage,
    private readonly clock: Clock,
    private readonly hooks: { beforeWrites(): void; afterCommit(): void },
  ) {}

  /** Runs `body` once per key at a time in this instance; a duplicate meanwhile gets the same promise. */
  async once<T>(idem: IdempotencyRef | undefined, body: () => Promise<CommandResult<T>>): Promise<CommandResult<T>> {
    if (!idem) return body();
    const running = this.running.get(idem.key) as Promise<CommandResult<T>> | undefined;
    if (running) return { ...(await running), replayed: true };
    const promise = body();
    this.running.set(idem.key, promise);
    try {
      return await promise;
    } finally {
      this.running.delete(idem.key);
    }
  }

  /** The key's record within 24 hours of the customer's time, or a refusal if it was used for another request. */
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
    if (row.fingerprint !== idem.fingerprint) {
      return {
        result: fail("idempotency_key_reused", "This Idempotency-Key was already used with a different request."),
      };
    }
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
        this.clock.now().toISOString(),
      );
    });
    hooks.afterCommit();
  }

  /** Closes a running command's record with its result; the first result recorded is the one replayed. */
  complete<T>(idem: IdempotencyRef | undefined, result: CommandResult<T>): CommandResult<T> {
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

  /** Drops records past their 24 hours; run by every commit and every alarm, never by an alarm of its own. */
  prune(): void {
    this.storage.sql.exec("DELETE FROM commands WHERE created_at <= ?", this.expiredBefore());
  }

  private expiredBefore(): string {
    return new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}
