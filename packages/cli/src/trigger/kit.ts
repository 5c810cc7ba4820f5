import type { Customer, PaymentMethod, Purchase, PurchaseCreateParams, Tranche } from "@tranche/sdk";

const DAY_MS = 86_400_000;

/**
 * The API calls the recipes are made of. Each call is one step, said as it is done: a trigger tells
 * what it did, and `steps` counts the calls.
 */
export class TriggerKit {
  readonly steps: string[] = [];

  constructor(
    private readonly tranche: Tranche,
    private readonly say: (line: string) => void,
    /** A client with the ADMIN_TOKEN, for the operator's actions; absent without --admin-token. */
    private readonly admin?: Tranche,
  ) {}

  private step<T>(what: string, result: T): T {
    this.steps.push(what);
    this.say(`  ${what}`);
    return result;
  }

  /** A new customer with a card of the test token: two calls. */
  async shopper(token = "tok_visa"): Promise<{ customer: Customer; card: PaymentMethod }> {
    const customer = await this.tranche.customers.create({ email: "trigger@example.com", name: "Trigger" });
    this.step(`created customer ${customer.id}`, customer);
    const card = await this.tranche.customers.paymentMethods.create(customer.id, { token });
    return { customer, card: this.step(`attached ${token} as ${card.id}`, card) };
  }

  /** A purchase of 120.00 EUR in 4 by the shopper; `refused` when the API answers 402 (a decline). */
  async purchase(
    shopper: { customer: Customer; card: PaymentMethod },
    extra: Partial<PurchaseCreateParams> = {},
  ): Promise<Purchase> {
    const params: PurchaseCreateParams = {
      customer: shopper.customer.id,
      payment_method: shopper.card.id,
      amount: 12000,
      currency: "EUR",
      plan: { type: "pay_in_n" },
      ...extra,
    };
    const purchase = await this.tranche.purchases.create(params);
    return this.step(`created purchase ${purchase.id} (${params.plan.type}, ${purchase.status})`, purchase);
  }

  /** Runs a call the recipe expects the processor to decline (402): the decline is the event. */
  async declined(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if ((error as { status?: number }).status === 402) {
        this.step(`${what}: declined (402), as intended`, null);
        return;
      }
      throw error;
    }
    throw new Error(`${what} was expected to be declined and was not`);
  }

  /** Moves the customer's test clock `days` past `from` (an ISO time), running what falls due. */
  async advance(customer: Customer, from: string, days: number): Promise<void> {
    const to = new Date(Date.parse(from) + days * DAY_MS).toISOString();
    await this.tranche.testHelpers.advanceClock(customer.id, { to });
    this.step(`advanced ${customer.id}'s test clock to ${to}`, null);
  }

  async capture(purchase: Purchase): Promise<void> {
    const captured = await this.tranche.purchases.capture(purchase.id);
    this.step(`captured ${purchase.id} (${captured.status})`, captured);
  }

  async cancel(purchase: Purchase): Promise<void> {
    this.step(`cancelled ${purchase.id}`, await this.tranche.purchases.cancel(purchase.id));
  }

  async updateCustomer(customer: Customer): Promise<void> {
    const updated = await this.tranche.customers.update(customer.id, { metadata: { triggered_by: "tranche-cli" } });
    this.step(`updated ${customer.id}'s metadata`, updated);
  }

  async detach(shopper: { customer: Customer; card: PaymentMethod }): Promise<void> {
    const detached = await this.tranche.customers.paymentMethods.detach(shopper.customer.id, shopper.card.id);
    this.step(`detached ${shopper.card.id} from ${shopper.customer.id}`, detached);
  }

  async redact(customer: Customer): Promise<void> {
    this.step(`redacted ${customer.id}`, await this.tranche.customers.redact(customer.id));
  }

  async payoff(purchase: Purchase): Promise<void> {
    const paid = await this.tranche.purchases.payoff(purchase.id);
    this.step(`paid ${purchase.id} off (${paid.status})`, paid);
  }

  async pay(purchase: Purchase, n: number): Promise<void> {
    const paid = await this.tranche.purchases.installments.pay(purchase.id, n);
    this.step(`paid installment ${n} of ${purchase.id} now (${paid.status})`, paid);
  }

  async extend(purchase: Purchase, n: number, days: number): Promise<void> {
    await this.tranche.purchases.installments.extend(purchase.id, n, { days });
    this.step(`moved installment ${n} of ${purchase.id} ${days} days later`, null);
  }

  async refund(purchase: Purchase, amount?: number): Promise<void> {
    const refund = await this.tranche.purchases.refunds.create(purchase.id, amount === undefined ? {} : { amount });
    this.step(`refunded ${refund.amount} of ${purchase.id} as ${refund.id} (${refund.status})`, refund);
  }

  async writeOff(purchase: Purchase): Promise<void> {
    if (!this.admin) throw new Error("writing off takes the deployment's ADMIN_TOKEN: pass --admin-token");
    const admin = this.admin;
    // The admin route finds the purchase's merchant in the read model, which lags the purchase by a batch.
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await admin.admin.purchases.writeOff(purchase.id);
        this.step(`wrote ${purchase.id} off as an operator (${written.status})`, written);
        return;
      } catch (error) {
        if ((error as { status?: number }).status !== 404 || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
