import { z } from "@hono/zod-openapi";
import { EmailSchema, MerchantIdSchema, TimestampSchema } from "./common";

export const MerchantCreateParamsSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Outdoor" }),
    email: EmailSchema.optional().openapi({ example: "payments@acme.test" }),
  })
  .openapi("MerchantCreateParams");

export const MerchantSchema = z
  .object({
    id: MerchantIdSchema,
    object: z.literal("merchant"),
    name: z.string(),
    email: z.string().nullable(),
    created_at: TimestampSchema,
  })
  .openapi("Merchant");

export const MerchantWithKeySchema = MerchantSchema.extend({
  secret_key: z.string().openapi({
    description: "The test-mode secret key. Shown once: only its hash is stored.",
    example: "sk_test_3kJ9…",
  }),
}).openapi("MerchantWithKey");

export const ApiKeyModeSchema = z.enum(["test", "live"]).openapi({
  description: "`test` keys charge the simulated processor's test cards; `live` keys take real payments.",
});

export const ApiKeyCreateParamsSchema = z
  .strictObject({
    mode: ApiKeyModeSchema.default("test").openapi({
      description:
        "`live` keys are issued only where the deployment has a processor for live mode (LIVE_PROCESSOR). Default `test`.",
    }),
  })
  .openapi("ApiKeyCreateParams");

export type MerchantCreateParams = z.input<typeof MerchantCreateParamsSchema>;
export type Merchant = z.infer<typeof MerchantSchema>;
export type MerchantWithKey = z.infer<typeof MerchantWithKeySchema>;
export type ApiKeyMode = z.infer<typeof ApiKeyModeSchema>;
export type ApiKeyCreateParams = z.input<typeof ApiKeyCreateParamsSchema>;
