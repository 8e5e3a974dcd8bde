import type { TaxVoucherKind } from "./vouchers";

/** The adjustments.kind of the vouchers the Skatt step generates (taxVouchers); the year's result is "closingEntry". */
export const GENERATED_TAX_KINDS: readonly TaxVoucherKind[] = ["taxFundReversal", "taxFundAllocation", "incomeTaxCalculated"];
