import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "./lib/log";
import type { Trace } from "./lib/trace";

export interface AuthContext {
  merchantId: string;
  livemode: boolean;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** This request's span of its trace: continued from its `traceparent`, or new. */
    trace: Trace;
    /** The logger of this request: its lines carry its request id and trace id. */
    log: Logger;
    /** Set by the auth middleware on every authenticated /v1 route. */
    auth: AuthContext;
    /** The id (never the secret) of the key that authenticated the request; unset on the admin surface. */
    apiKeyId: string | undefined;
    /**
     * Set by the idempotency middleware on a customer command that carries an Idempotency-Key;
     * `firstSeen` only on POST /v1/customers, whose new customer's id is derived from it.
     */
    idempotency: { key: string; fingerprint: string; firstSeen?: number } | undefined;
    /** Set by a route whose customer object answered with a replayed result. */
    replayed: boolean | undefined;
    /** Set by a route whose customer object answered with a payment still at the processor (202). */
    inFlight: boolean | undefined;
  };
}

export type App = OpenAPIHono<AppEnv>;
