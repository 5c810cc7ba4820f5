import {
  asksIssuer,
  chargeIdOf,
  isAttempt,
  type SimulatorCall,
  type SimulatorStore,
} from "../../../processor/simulator-store";

/**
 * The simulated processor's log in the customer object's SQLite, so its calls commit in
 * the same transaction as the charge they decide, and survive eviction like everything else.
 */
export class SqlSimulatorStore implements SimulatorStore {
  constructor(private readonly sql: SqlStorage) {}

  find(idempotencyKey: string): SimulatorCall | undefined {
    const row = this.sql
      .exec<{ call: string }>(
        "SELECT call FROM processor_calls WHERE idempotency_key = ? AND attempt = 1 ORDER BY seq DESC LIMIT 1",
        idempotencyKey,
      )
      .toArray()[0];
    return row && (JSON.parse(row.call) as SimulatorCall);
  }

  chargeAttempts(paymentMethodId: string): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT COUNT(*) AS n FROM processor_calls WHERE kind IN ('charge', 'authorise') AND attempt = 1 AND payment_method_id = ?",
        paymentMethodId,
      )
      .one().n;
  }

  append(call: SimulatorCall): void {
    this.sql.exec(
      `INSERT INTO processor_calls (idempotency_key, kind, attempt, payment_method_id, charge_id, call)
       VALUES (?, ?, ?, ?, ?, ?)`,
      call.request.idempotencyKey,
      call.kind,
      isAttempt(call) ? 1 : 0,
      asksIssuer(call) ? call.request.paymentMethod.id : null,
      chargeIdOf(call) ?? null,
      JSON.stringify(call),
    );
  }

  calls(chargeId?: string): readonly SimulatorCall[] {
    const rows =
      chargeId === undefined
        ? this.sql.exec<{ call: string }>("SELECT call FROM processor_calls ORDER BY seq").toArray()
        : this.sql
            .exec<{ call: string }>("SELECT call FROM processor_calls WHERE charge_id = ? ORDER BY seq", chargeId)
            .toArray();
    return rows.map((r) => JSON.parse(r.call) as SimulatorCall);
  }
}
