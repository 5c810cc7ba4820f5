import { path, type RequestOptions } from "../http";
import type { Purchase, ShardMove } from "../types.generated";
import { AdminKeys } from "./keys";
import { Resource } from "./resource";

/** Operator actions across merchants: `tranche.admin.purchases`, with the ADMIN_TOKEN as the key. */
export class AdminPurchases extends Resource {
  /** Writes off a delinquent purchase's failed installments as bad debt. */
  writeOff(id: string, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/admin/purchases/${id}/write_off`, undefined, options);
  }
}

/** Operator actions on a merchant: `tranche.admin.merchants`. */
export class AdminMerchants extends Resource {
  /** Moves the merchant's read model to shard `shard`; run again while `failed` is not 0. */
  moveShard(id: string, shard: number, options?: RequestOptions): Promise<ShardMove> {
    return this.http.post(path`/v1/admin/merchants/${id}/move_shard`, { shard }, options);
  }
}

export class Admin extends Resource {
  readonly purchases = new AdminPurchases(this.http);
  readonly merchants = new AdminMerchants(this.http);
  readonly keys = new AdminKeys(this.http);
}
