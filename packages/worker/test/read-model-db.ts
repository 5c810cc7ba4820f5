import { env } from "cloudflare:test";
import { readModel } from "../src/shards";

/** The read-model shard holding the merchant's rows, as the Worker routes to it (src/shards/). */
export const readModelDb = (merchantId: string): Promise<D1Database> => readModel(env, merchantId);
