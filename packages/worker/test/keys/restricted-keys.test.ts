import type { Customer } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { permits } from "../../src/keys/scopes";
import { call, createMerchant, expectProblem, purchaseBody, shopper } from "../helpers";
import { keyRows, listKeys, restrictedKey } from "./keys-kit";

const REPORT = "/v1/reports/aging";

describe("what each scope permits", () => {
  // [method, path, reports:read, analytics:read, read_only]
  const table: [string, string, boolean, boolean, boolean][] = [
    ["GET", "/v1/reports/aging", true, false, true],
    ["GET", "/v1/reports/settlements", true, false, true],
    ["GET", "/v1/customers/cus_1/statement", true, false, true],
    ["GET", "/v1/analytics/payments", false, true, true],
    ["HEAD", "/v1/analytics/requests", false, true, true],
    ["GET", "/v1/customers", false, false, true],
    ["GET", "/v1/purchases/pur_1", false, false, true],
    ["GET", "/v1/webhook_endpoints", false, false, true],
    ["GET", "/v1/keys", false, false, false],
    ["GET", "/v1/keys/key_1", false, false, false],
    ["POST", "/v1/reports/aging", false, false, false],
    ["POST", "/v1/purchases", false, false, false],
    ["POST", "/v1/purchases/pur_1/refunds", false, false, false],
    ["POST", "/v1/keys", false, false, false],
    ["POST", "/v1/keys/key_1/roll", false, false, false],
    ["PATCH", "/v1/webhook_endpoints/we_1", false, false, false],
    ["DELETE", "/v1/webhook_endpoints/we_1", false, false, false],
  ];
  it.for(table)("%s %s", ([method, path, reports, analytics, readOnly]) => {
    expect([
      permits(["reports:read"], method, path),
      permits(["analytics:read"], method, path),
      permits(["read_only"], method, path),
    ]).toEqual([reports, analytics, readOnly]);
    expect(permits(["reports:read", "analytics:read"], method, path)).toBe(reports || analytics);
  });
});

describe("a restricted key", () => {
  it("reads its reports, and is refused with 403 permission_denied anything else, writing nothing", async () => {
    const { key, merchant, customer, card } = await shopper();
    const reader = await restrictedKey(key, ["reports:read"]);
    const rk = reader.secret_key;
    expect((await call(REPORT, { key: rk })).status).toBe(200);
    expect((await call(`/v1/customers/${customer.id}/statement`, { key: rk })).status).toBe(200);

    const keysBefore = await keyRows(merchant.id);
    const customersBefore = (await call<{ data: Customer[] }>("/v1/customers?limit=100", { key })).body.data;
    for (const [path, body] of [
      ["/v1/customers", undefined],
      ["/v1/customers", { name: "Mallory" }],
      ["/v1/purchases", purchaseBody(customer.id, card.id)],
      ["/v1/keys", { type: "secret" }],
      ["/v1/keys", undefined],
      [`/v1/keys/${reader.id}/roll`, {}],
      [`/v1/keys/${reader.id}/revoke`, {}],
      ["/v1/webhook_endpoints", { url: "https://example.com/hook", enabled_events: ["*"] }],
    ] as const) {
      const p = await expectProblem(call(path, { key: rk, body }), 403, "permission_denied");
      expect(p.detail).toContain("reports:read");
    }
    expect(await keyRows(merchant.id)).toBe(keysBefore);
    expect((await call<{ data: Customer[] }>("/v1/customers?limit=100", { key })).body.data).toEqual(customersBefore);
    expect((await call<{ data: unknown[] }>("/v1/purchases", { key })).body.data).toHaveLength(0);
    expect((await call<{ data: unknown[] }>("/v1/webhook_endpoints", { key })).body.data).toHaveLength(0);
  });

  it("with read_only, reads every list but the keys, and still moves no money", async () => {
    const { key, customer, card } = await shopper();
    const rk = (await restrictedKey(key, ["read_only"])).secret_key;
    for (const path of ["/v1/customers", "/v1/purchases", "/v1/events", `/v1/customers/${customer.id}`, REPORT]) {
      expect((await call(path, { key: rk })).status, path).toBe(200);
    }
    await expectProblem(call("/v1/keys", { key: rk }), 403, "permission_denied");
    await expectProblem(
      call("/v1/purchases", { key: rk, body: purchaseBody(customer.id, card.id) }),
      403,
      "permission_denied",
    );
    expect((await call<{ data: unknown[] }>("/v1/purchases", { key })).body.data).toHaveLength(0);
  });

  it("is refused before its request is read: a 403, not a 400 or a 405", async () => {
    const { secret_key: key } = await createMerchant();
    const rk = (await restrictedKey(key, ["analytics:read"])).secret_key;
    await expectProblem(call("/v1/customers", { key: rk, raw: "{nope" }), 403, "permission_denied");
    await expectProblem(call("/v1/reports/aging", { key: rk, method: "PUT", body: {} }), 403, "permission_denied");
    await expectProblem(call(REPORT, { key: rk }), 403, "permission_denied");
    expect(await listKeys(key)).toHaveLength(2);
  });
});
