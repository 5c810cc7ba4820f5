import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, formatMajor, SUPPORTED_CURRENCIES } from "../src/money";

describe("formatMajor", () => {
  it("writes minor units with the currency's exponent", () => {
    expect(formatMajor(12000, "EUR")).toBe("120.00");
    expect(formatMajor(-5, "EUR")).toBe("-0.05");
    expect(formatMajor(0, "EUR")).toBe("0.00");
    expect(formatMajor(500, "JPY")).toBe("500");
    expect(formatMajor(1234, "KWD")).toBe("1.234");
  });

  it("round-trips exactly: the digits without the point are the amount", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom(...SUPPORTED_CURRENCIES),
        (amount, currency) => {
          const text = formatMajor(amount, currency);
          expect(BigInt(text.replace(".", ""))).toBe(BigInt(amount));
          const decimals = text.split(".")[1]?.length ?? 0;
          expect(decimals).toBe(currencyExponent(currency));
        },
      ),
    );
  });
});
