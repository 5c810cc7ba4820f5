import { currencyExponent } from "./currency";

/**
 * An amount in minor units written in major units with the currency's exponent, exactly (string
 * arithmetic, no floating point): 12000 EUR → "120.00", -5 EUR → "-0.05", 500 JPY → "500",
 * 1234 KWD → "1.234". No grouping separators, so spreadsheets read it as a number.
 */
export function formatMajor(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new RangeError(`unsupported currency ${currency}`);
  const digits = Math.abs(amount)
    .toString()
    .padStart(exponent + 1, "0");
  const sign = amount < 0 ? "-" : "";
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
