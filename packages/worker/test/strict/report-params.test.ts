// The reports' instants: as_of takes what from and to take (dates, offsets), a statement without
// from and to covers the customer's whole history, and the document states each parameter's format
// (issue 20).
import { SELF } from "cloudflare:test";
import type { AgingReport, Statement } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, call, createPurchase, customerWith, expectProblem, purchaseBody } from "../helpers";

describe("as_of", () => {
  it("takes a date (its first instant in timezone) or a timestamp with an offset", async () => {
    const { key } = await customerWith();
    const asOf = async (query: string) => {
      const res = await call<AgingReport>(`/v1/reports/aging?${query}`, { key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.as_of;
    };
    expect(await asOf("as_of=2027-02-20")).toBe("2027-02-20T00:00:00.000Z");
    expect(await asOf("as_of=2027-02-20&timezone=Europe/Stockholm")).toBe("2027-02-19T23:00:00.000Z");
    expect(await asOf("as_of=2027-02-20T00:00:00%2B01:00")).toBe("2027-02-19T23:00:00.000Z");
    expect(await asOf("as_of=2027-02-20T12:00:00Z")).toBe("2027-02-20T12:00:00.000Z");
  });

  it("refuses what from and to refuse, naming as_of", async () => {
    const { key } = await customerWith();
    for (const bad of ["2027-02-30", "2027-02-20T12:00Z", "yesterday"]) {
      const problem = await expectProblem(call(`/v1/reports/aging?as_of=${bad}`, { key }), 400, "validation_error");
      expect(problem.errors?.map((e) => e.path)).toEqual(["as_of"]);
    }
  });
});

describe("a statement without from and to", () => {
  it("covers the customer's whole history: from their creation to now on their clock", async () => {
    const { key, customer, card } = await customerWith();
    await advanceClock(key, customer.id, "2027-04-01T10:00:00.000Z");
    await createPurchase(key, purchaseBody(customer.id, card.id));
    // Before the second installment falls due: no posting since checkout.
    await advanceClock(key, customer.id, "2027-04-05T10:00:00.000Z");
    const { status, body } = await call<Statement>(`/v1/customers/${customer.id}/statement`, { key });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.from).toBe(customer.created_at);
    expect(body.to).toBe("2027-04-05T10:00:00.001Z");
    expect(body.data.map((l) => [l.type, l.balance])).toEqual([
      ["capture", 12000],
      ["payment", 9000],
    ]);
    expect(body.balances).toEqual([{ currency: "EUR", opening: 0, closing: 9000 }]);

    const since = await call<Statement>(`/v1/customers/${customer.id}/statement?from=2027-04-02`, { key });
    expect(since.body).toMatchObject({ from: "2027-04-02T00:00:00.000Z", data: [] });
    expect(since.body.balances).toEqual([{ currency: "EUR", opening: 9000, closing: 9000 }]);
  });

  it("refuses a single bound on the wrong side of the default of the other", async () => {
    const { key, customer } = await customerWith();
    const before = await expectProblem(
      call(`/v1/customers/${customer.id}/statement?to=2000-01-01`, { key }),
      400,
      "validation_error",
    );
    expect(before.errors?.map((e) => e.path)).toEqual(["to"]);
    const after = await expectProblem(
      call(`/v1/customers/${customer.id}/statement?from=9000-01-01`, { key }),
      400,
      "validation_error",
    );
    expect(after.errors?.map((e) => e.path)).toEqual(["from"]);
  });
});

describe("the document", () => {
  it("states every report parameter's format", async () => {
    const doc = (await (await SELF.fetch("http://tranche.test/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>>;
    };
    const param = (path: string, name: string) =>
      doc.paths[path]?.get?.parameters?.find((p) => p.name === name)?.schema ?? {};
    const instant = {
      anyOf: [expect.objectContaining({ format: "date" }), expect.objectContaining({ format: "date-time" })],
    };
    for (const path of ["/v1/reports/settlements", "/v1/reports/collections", "/v1/customers/{id}/statement"]) {
      expect(param(path, "from")).toMatchObject(instant);
      expect(param(path, "to")).toMatchObject(instant);
      expect(param(path, "currency").pattern).toMatch(/\[Ee\]\[Uu\]\[Rr\]/);
      expect(param(path, "timezone").pattern).toEqual(expect.any(String));
    }
    expect(param("/v1/reports/aging", "as_of")).toMatchObject(instant);
    expect(param("/v1/reports/settlements", "granularity").enum).toEqual(["day", "week", "month", "total"]);
  });
});
