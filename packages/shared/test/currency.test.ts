import { data, code as lookup, publishDate } from "currency-codes";
// The ISO List One XML the package was generated from; it still says "N.A." where the package's data says 0.
import listOne from "currency-codes/iso-4217-list-one.xml?raw";
import { describe, expect, it } from "vitest";
import { currencyExponent, ISO4217_EXPONENTS, isSupportedCurrency, SUPPORTED_CURRENCIES } from "../src/money";

/** code → minor units as written in the ISO XML ("2", "N.A." …), checking entries for one code agree. */
function minorUnitsFromXml(xml: string): Map<string, string> {
  const units = new Map<string, string>();
  for (const [, entry = ""] of xml.matchAll(/<CcyNtry>([\s\S]*?)<\/CcyNtry>/g)) {
    const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1];
    const minor = /<CcyMnrUnts>([^<]*)<\/CcyMnrUnts>/.exec(entry)?.[1];
    if (code === undefined || minor === undefined) continue; // "No universal currency" rows
    const seen = units.get(code);
    if (seen !== undefined && seen !== minor) throw new Error(`${code} has minor units ${seen} and ${minor}`);
    units.set(code, minor);
  }
  return units;
}

const xmlUnits = minorUnitsFromXml(listOne);
const notApplicable = [...xmlUnits].filter(([, minor]) => minor === "N.A.").map(([code]) => code);

describe("ISO4217_EXPONENTS against the currency-codes package", () => {
  it("is built from the ISO list the package ships (publish date 2024-06-25)", () => {
    expect(publishDate).toBe("2024-06-25");
    expect(listOne).toContain('Pblshd="2024-06-25"');
  });

  it("equals the package's codes and digits, minus codes whose minor unit is N.A.", () => {
    // Deliberate difference: the package turns "N.A." into digits 0 (parseInt(...) || 0), which
    // would make gold or SDRs look like yen. We exclude them, so N.A. is read from the XML.
    const expected = Object.fromEntries(
      data.filter((c) => !notApplicable.includes(c.code)).map((c) => [c.code, c.digits]),
    );
    expect(ISO4217_EXPONENTS).toEqual(expected);
  });

  it("agrees with the raw XML for every code that has a numeric minor unit", () => {
    const numeric = [...xmlUnits].filter(([, minor]) => /^\d+$/.test(minor));
    expect(Object.fromEntries(numeric.map(([code, minor]) => [code, Number(minor)]))).toEqual(ISO4217_EXPONENTS);
    for (const [code, minor] of numeric) expect(lookup(code)?.digits).toBe(Number(minor));
  });

  it("excludes exactly the N.A. codes", () => {
    expect(notApplicable.sort()).toEqual("XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split(" "));
    for (const code of notApplicable) expect(isSupportedCurrency(code)).toBe(false);
  });
});

describe("currencyExponent", () => {
  it.each(Object.entries({ JPY: 0, EUR: 2, USD: 2, KWD: 3, BHD: 3, CLF: 4, ISK: 0, UGX: 0, UYW: 4 }))(
    "%s has exponent %i",
    (code, exponent) => {
      expect(currencyExponent(code)).toBe(exponent);
      expect(isSupportedCurrency(code)).toBe(true);
    },
  );

  it.each(["XAU", "XDR", "ABC", "usd", "", "constructor", "__proto__", "EURO"])("rejects %j", (code) => {
    expect(currencyExponent(code)).toBeUndefined();
    expect(isSupportedCurrency(code)).toBe(false);
  });

  it("lists supported currencies sorted, frozen and matching the table", () => {
    expect(SUPPORTED_CURRENCIES).toEqual(Object.keys(ISO4217_EXPONENTS).sort());
    expect(SUPPORTED_CURRENCIES).toHaveLength(166);
    expect(Object.isFrozen(SUPPORTED_CURRENCIES)).toBe(true);
    expect(Object.isFrozen(ISO4217_EXPONENTS)).toBe(true);
  });
});
