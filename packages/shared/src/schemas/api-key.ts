import { z } from "@hono/zod-openapi";
import { idSchema, MerchantIdSchema, TimestampSchema } from "./common";
import { ApiKeyModeSchema } from "./merchant";

/**
 * What a restricted key may do (worker src/keys/scopes.ts). None of them can move money or manage keys:
 * a dashboard or BI tool holds a key that can only read.
 */
export const API_KEY_SCOPES = ["reports:read", "analytics:read", "read_only"] as const;

export const ApiKeyScopeSchema = z.enum(API_KEY_SCOPES).openapi({
  description:
    "`reports:read`: GET /v1/reports/* and customers' statements. `analytics:read`: GET /v1/analytics/*. `read_only`: every GET of the API " +
    "except /v1/keys. A restricted key is refused (403 `permission_denied`) anything else.",
});

export const ApiKeyIdSchema = idSchema("key", "key_01JDQ8Z6W2N8X4C2V7B5K9M3PG");

export const ApiKeySchema = z
  .object({
    id: ApiKeyIdSchema,
    object: z.literal("api_key"),
    merchant: MerchantIdSchema,
    mode: ApiKeyModeSchema,
    type: z.enum(["secret", "restricted"]).openapi({
      description: "`secret` (`sk_`) keys can do everything; `restricted` (`rk_`) keys only what their `scopes` allow.",
    }),
    name: z.string().nullable().openapi({ description: "A label, e.g. the tool that holds the key." }),
    prefix: z.string().openapi({
      description: "The key's first 12 characters, to tell keys apart.",
      example: "sk_live_3kJ9",
    }),
    scopes: z
      .array(ApiKeyScopeSchema)
      .nullable()
      .openapi({ description: "A restricted key's scopes; null for a secret key." }),
    created_at: TimestampSchema,
    last_used_at: TimestampSchema.nullable().openapi({
      description:
        "When the key last made a request that succeeded, to within a minute (it is recorded at most once a minute). " +
        "Null if never, or not since this was recorded.",
    }),
    expires_at: TimestampSchema.nullable().openapi({
      description: "Set when the key was rolled: the end of its grace period, after which it is refused.",
    }),
    revoked_at: TimestampSchema.nullable(),
  })
  .openapi("ApiKey");

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  secret_key: z.string().openapi({
    description: "The key itself. Shown once: only its hash is stored.",
    example: "rk_live_3kJ9…",
  }),
}).openapi("ApiKeyWithSecret");

const KeyNameSchema = z.string().trim().min(1).max(100).optional().openapi({ example: "Metabase" });

export const KeyCreateParamsSchema = z
  .discriminatedUnion("type", [
    z
      .strictObject({
        type: z.literal("restricted"),
        name: KeyNameSchema,
        scopes: z
          .array(ApiKeyScopeSchema)
          .min(1)
          .max(API_KEY_SCOPES.length)
          .openapi({
            description: "What the key may do; at least one.",
            example: ["reports:read"],
          }),
      })
      .openapi("RestrictedKeyCreateParams"),
    z.strictObject({ type: z.literal("secret"), name: KeyNameSchema }).openapi("SecretKeyCreateParams"),
  ])
  .openapi("KeyCreateParams", {
    description: "A restricted key with its scopes, or a secret key. Either is of the mode of the key that creates it.",
  });

/** The longest grace period of a rolled key, as Stripe's: 7 days. */
export const MAX_ROLL_GRACE_SECONDS = 7 * 24 * 3600;

export const KeyRollParamsSchema = z
  .strictObject({
    expires_in: z
      .int()
      .min(0)
      .max(MAX_ROLL_GRACE_SECONDS)
      .default(0)
      .openapi({
        description:
          "Seconds the old key keeps working, 0 to 604800 (7 days). Default 0: the old key is refused at once, " +
          'as Stripe\'s default ("now"). Give the callers that hold it time to switch with e.g. 86400.',
        example: 86400,
      }),
  })
  .openapi("KeyRollParams");

export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
export type ApiKey = z.infer<typeof ApiKeySchema>;
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecretSchema>;
export type KeyCreateParams = z.input<typeof KeyCreateParamsSchema>;
export type KeyRollParams = z.input<typeof KeyRollParamsSchema>;
