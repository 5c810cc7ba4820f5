export { type AmortisationRow, amortise, levelPayment, monthlyInterest } from "./amortisation";
export { currencyExponent, ISO4217_EXPONENTS, isSupportedCurrency, SUPPORTED_CURRENCIES } from "./currency";
export { addDaysUtc, addMonthsClampedUtc, daysInMonthUtc } from "./dates";
export { formatMajor } from "./format";
export { splitEvenly } from "./split";
