import { z } from "@hono/zod-openapi";
import { MerchantIdSchema } from "./common";

export const ShardMoveParamsSchema = z
  .strictObject({
    shard: z.number().int().min(0).openapi({
      description: "The read-model shard to move the merchant to, numbered from 0 (`READ_MODEL_<n>`).",
      example: 1,
    }),
  })
  .openapi("ShardMoveParams");

export const ShardMoveSchema = z
  .object({
    merchant: MerchantIdSchema,
    from: z.number().int().openapi({ description: "The shard the directory named before the move." }),
    to: z.number().int().openapi({ description: "The shard the merchant's read model is on now." }),
    customers: z.number().int().openapi({
      description: "Customers found on other shards, each asked to re-project everything into `to`.",
    }),
    failed: z.number().int().openapi({
      description: "Those whose object did not answer. When not 0, nothing was deleted: run the move again.",
    }),
    deleted: z.number().int().openapi({ description: "Rows deleted from the other shards." }),
  })
  .openapi("ShardMove");

export type ShardMoveParams = z.input<typeof ShardMoveParamsSchema>;
export type ShardMove = z.infer<typeof ShardMoveSchema>;
