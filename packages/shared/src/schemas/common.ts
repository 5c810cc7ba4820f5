import { z } from "@hono/zod-openapi";
import { isSupportedCurrency, SUPPORTED_CURRENCIES } from "../money/currency";

/** Upper bound on any single amount: keeps every intermediate product of the plan maths exact. */
export const MAX_AMOUNT = 100_000_000_000;

export const AmountSchema = z
  .int({ error: "must be an integer number of minor units (e.g. cents)" })
  .min(1, { error: "must be at least 1 minor unit" })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT} minor units` })
  .openapi({
    description: "Amount in the currency's minor unit (cents for EUR, yen for JPY, fils for KWD).",
    example: 12000,
  });

/** The supported codes in any case, as a pattern: JSON Schema has no case-insensitive enum. */
const CURRENCY_PATTERN = `^(?:${SUPPORTED_CURRENCIES.map((code) => [...code].map((ch) => `[${ch}${ch.toLowerCase()}]`).join("")).join("|")})$`;

export const CurrencySchema = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isSupportedCurrency, { error: "must be an ISO 4217 currency code with a minor unit, e.g. EUR" })
  .openapi({
    type: "string",
    description: "ISO 4217 alpha-3 code with a minor unit (not XAU, XDR, XTS and the like), case-insensitive.",
    example: "EUR",
    pattern: CURRENCY_PATTERN,
  });

/** Names that mean something to JavaScript objects: as keys they would be dropped or change the object. */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype"];

/** The message for a reserved metadata key. */
const reserved = (key: unknown) => `metadata key ${JSON.stringify(key)} is reserved (${PROTOTYPE_NAMES.join(", ")})`;

const MetadataRecord = z
  .record(
    z
      .string()
      .min(1)
      .max(40, { error: "metadata keys are at most 40 characters" })
      .refine((key) => !PROTOTYPE_NAMES.includes(key), {
        error: (issue) => reserved(issue.input),
      }),
    z.string().max(500, { error: "metadata values are at most 500 characters" }),
  )
  .refine((m) => Object.keys(m).length <= 50, { error: "metadata holds at most 50 keys" })
  .openapi("Metadata", {
    description:
      "Up to 50 string key/value pairs for your own use; returned as given. Keys are 1–40 characters, and not `__proto__`, `constructor` or `prototype`.",
    example: { order_id: "6735" },
    // The refines above and the key's rules, which zod-to-openapi does not carry into the document.
    maxProperties: 50,
    // A JSON Schema 2020-12 keyword, which the metadata's (OpenAPI 3.0) type does not list.
    ...({ propertyNames: { minLength: 1, maxLength: 40, not: { enum: PROTOTYPE_NAMES } } } as object),
  });

/**
 * zod skips a `__proto__` key (JSON.parse makes it an own property) rather than hand it to the key's
 * schema, which would refuse it with the other prototype names: so it is refused here, on the raw input.
 * Its input is typed as the record's, which is what the SDK's types are generated from.
 */
export const MetadataSchema = z.preprocess<unknown, typeof MetadataRecord, z.input<typeof MetadataRecord>>(
  (input, ctx) => {
    if (input && typeof input === "object" && Object.hasOwn(input, "__proto__")) {
      ctx.addIssue({ code: "custom", path: ["__proto__"], message: reserved("__proto__"), input });
    }
    return input;
  },
  MetadataRecord,
);

/**
 * zod's email rule as a pattern, so the document states exactly what the server accepts (validators'
 * `format: email` rules differ from it both ways).
 */
export const EmailSchema = z.string().regex(z.regexes.email, { error: "Invalid email address" }).max(320);

export const TimestampSchema = z.iso.datetime().openapi({ example: "2026-11-24T12:00:00.000Z" });

/** Ids carry a type prefix and a time-ordered suffix, so sorting by id sorts by creation. */
export function idSchema(prefix: string, example: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), { error: `must be a ${prefix}_… id` })
    .openapi({ example });
}

/**
 * Ids of things a customer owns name that customer: the time and 6 random characters, then the
 * customer id's 26 characters after `cus_`. So they still sort by creation, and lead to the
 * customer's Durable Object without a lookup (the Worker's `ownedId`).
 */
function ownedIdSchema(prefix: string, example: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{42}$`), { error: `must be a ${prefix}_… id` })
    .openapi({
      description: `A ${prefix}_ id: 10 characters of creation time, 6 random, then the owning customer's id without \`cus_\`.`,
      example,
    });
}

export const CustomerIdSchema = idSchema("cus", "cus_01JDQ8Z6W2N8X4C2V7B5K9M3PA");
// Both owned by the customer above.
export const PurchaseIdSchema = ownedIdSchema("pur", "pur_01JDQ9A3T7QX5R2M01JDQ8Z6W2N8X4C2V7B5K9M3PA");
export const RefundIdSchema = ownedIdSchema("re", "re_01JDQ9C4V1HW7Z3D01JDQ8Z6W2N8X4C2V7B5K9M3PA");
export const PaymentMethodIdSchema = idSchema("pm", "pm_01JDQ8Z6W2N8X4C2V7B5K9M3PC");
export const MerchantIdSchema = idSchema("mer", "mer_01JDQ8Z6W2N8X4C2V7B5K9M3PD");
