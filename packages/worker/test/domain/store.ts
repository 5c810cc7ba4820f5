import type { Posting, PostingEvent } from "../../src/domain/collections";
import { AfterCommit } from "../../src/objects/customer/storage/after-commit";
import { Outbox } from "../../src/objects/customer/storage/outbox";
import type { IntentRow, PurchaseRow, RefundRow } from "../../src/objects/customer/storage/rows";
import { CustomerStore } from "../../src/objects/customer/storage/store";

/** The store's writes: every one of them must be made inside `transact`, which commits all or none. */
const WRITES: ReadonlySet<string> = new Set([
  "insertCustomer",
  "insertPaymentMethod",
  "insertPurchase",
  "updatePurchase",
  "setPurchaseStatus",
  "touch",
  "saveInstallment",
  "logInstallments",
  "putAction",
  "putActions",
  "dropAction",
  "dropActions",
  "post",
  "event",
  "freezeAt",
  "insertRefund",
  "updateRefund",
  "insertIntent",
  "updateIntent",
]);

/**
 * The customer object's store over its SQLite, migrated and empty (a property run reuses one
 * object: emptying its tables is much cheaper than a new object), that refuses a write outside
 * `transact`: so the domain suites also prove the commands, intents and schedule keep to the rule.
 */
export function transactionsOnly(storage: DurableObjectStorage): CustomerStore {
  const store = new CustomerStore(storage, new Outbox(storage.sql, () => true), new AfterCommit());
  store.migrate();
  const tables = storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'")
    .toArray();
  for (const { name } of tables) if (!name.startsWith("_cf_")) storage.sql.exec(`DELETE FROM ${name}`);
  let depth = 0;
  return new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (name === "transact") {
        return <T>(writes: () => T): T => {
          depth++;
          try {
            return target.transact(writes);
          } finally {
            depth--;
          }
        };
      }
      if (typeof name !== "string" || !WRITES.has(name) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (depth === 0) throw new Error(`${name} outside transact`);
        return value.apply(receiver, args);
      };
    },
  });
}

type Rows<T> = T & Record<string, SqlStorageValue>;

/** The books the suites check, read back from the customer's tables in the order they were written. */
export class Books {
  constructor(private readonly sql: SqlStorage) {}

  purchases(): PurchaseRow[] {
    return this.sql.exec<Rows<PurchaseRow>>("SELECT * FROM purchases ORDER BY rowid").toArray();
  }

  refunds(): RefundRow[] {
    return this.sql.exec<Rows<RefundRow>>("SELECT * FROM refunds ORDER BY rowid").toArray();
  }

  intents(): IntentRow[] {
    return this.sql.exec<Rows<IntentRow>>("SELECT * FROM intents ORDER BY rowid").toArray();
  }

  events(): { type: string; purchase_id: string; number: number | null; data: string }[] {
    return this.sql
      .exec<Rows<{ type: string; purchase_id: string; number: number | null; data: string }>>(
        "SELECT type, purchase_id, number, data FROM events ORDER BY id",
      )
      .toArray();
  }

  /** The ledger's lines, gathered back into their postings. */
  postings(): Posting[] {
    const lines = this.sql
      .exec<
        Rows<{
          posting: number;
          event: PostingEvent;
          purchase_id: string;
          currency: string;
          account: string;
          amount: number;
        }>
      >("SELECT posting, event, purchase_id, currency, account, amount FROM ledger ORDER BY id")
      .toArray();
    const postings = new Map<number, Posting>();
    for (const line of lines) {
      const posting = postings.get(line.posting) ?? {
        event: line.event,
        purchaseId: line.purchase_id,
        currency: line.currency,
        lines: [],
      };
      posting.lines.push({ account: line.account as Posting["lines"][number]["account"], amount: line.amount });
      postings.set(line.posting, posting);
    }
    return [...postings.values()];
  }
}
