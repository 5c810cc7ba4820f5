// A merchant's checkout API on Workers, calling Tranche through the TRANCHE service binding when
// deployed, or the Tranche at TRANCHE_URL when that is set (locally: see dev.mjs).
//   POST /checkout  {email, token?, amount, currency?, plan?}  → the purchase and its schedule
//   GET  /orders/:id                                          → the purchase, current
//   POST /orders/:id/ship                                     → captures it: the schedule starts
//   POST /webhooks/tranche                                    → Tranche's events, verified (webhooks.ts)
import { type PlanParams, Tranche, TrancheError } from "@tranche/sdk";
import { receiveWebhook, type WebhookEnv } from "./webhooks";

interface Env extends WebhookEnv {
  TRANCHE: Fetcher;
  TRANCHE_API_KEY: string;
  /** The address of the Tranche to call instead of the binding: `wrangler dev` would connect the
   * binding to whichever `tranche` Worker its machine-wide registry knows, not necessarily yours. */
  TRANCHE_URL?: string;
}

function client(env: Env): Tranche {
  if (env.TRANCHE_URL) return new Tranche(env.TRANCHE_API_KEY, { baseUrl: env.TRANCHE_URL });
  return new Tranche(env.TRANCHE_API_KEY, {
    // The binding ignores the host; only the path and method reach Tranche.
    baseUrl: "https://tranche.internal",
    fetch: env.TRANCHE.fetch.bind(env.TRANCHE),
  });
}

interface CheckoutBody {
  email: string;
  token?: string;
  amount: number;
  currency?: string;
  plan?: PlanParams;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const tranche = client(env);
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/webhooks/tranche") return receiveWebhook(request, env, tranche);
    try {
      if (request.method === "POST" && pathname === "/checkout") {
        const body = await request.json<CheckoutBody>();
        const customer = await tranche.customers.create({ email: body.email });
        const card = await tranche.customers.paymentMethods.create(customer.id, { token: body.token ?? "tok_visa" });
        const purchase = await tranche.purchases.create({
          customer: customer.id,
          payment_method: card.id,
          amount: body.amount,
          currency: body.currency ?? "EUR",
          plan: body.plan ?? { type: "pay_in_n" },
          capture: "manual",
        });
        return Response.json(purchase, { status: 201 });
      }
      const order = pathname.match(/^\/orders\/([^/]+)(\/ship)?$/);
      if (order?.[1] && request.method === "GET" && !order[2]) {
        return Response.json(await tranche.purchases.retrieve(order[1]));
      }
      if (order?.[1] && request.method === "POST" && order[2]) {
        return Response.json(await tranche.purchases.capture(order[1]));
      }
      return Response.json({ error: "not found" }, { status: 404 });
    } catch (error) {
      // Tranche's problem goes back to the shop's client as it came, with its request id for support.
      if (error instanceof TrancheError) {
        return Response.json(error.problem ?? { detail: error.message }, { status: error.status ?? 502 });
      }
      throw error;
    }
  },
} satisfies ExportedHandler<Env>;
