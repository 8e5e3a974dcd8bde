/**
 * The tax of an aktiebolag, pure (no DB, no network): INK2R from the trial balance, INK2S with suggested and
 * edited adjustments, periodiseringsfonder, the planning figures, the vouchers to book and the SRU file pair.
 * Rules, sources and the API: README.md beside this file.
 */
export { computeTax, taxFor } from "./compute";
export { taxVouchers, type TaxVoucherDraft, type TaxVoucherKind } from "./vouchers";
export { sruDocument, writeSru, sruOrgNr, sruFieldCount, type SruDocument, type SruMeta, type SruSender, type SruBlock, type SruForm } from "./sru";
export { checkSru } from "./sru-check";
export { taxInputFromSie, taxInputFromSieSource, type SieTaxInput, type SieCompanyInfo } from "./sie-input";
export { runSru, stockholmStamp, type SruRunReport } from "./run";
export { PROBLEM_KEYS, type TaxProblem, type ProblemKey, type ProblemSeverity } from "./problems";
export { KNOWN_PERIODS, periodOf, SLR_NOVEMBER, TAX_RATES } from "./data/years";
export { INK2R_ROWS, INK2S_FIELDS } from "./data/forms";
export type * from "./types";
