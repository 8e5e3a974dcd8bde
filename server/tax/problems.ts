// What the tax computation and the SRU check report: a message key of the "tax.problem" namespace
// (messages/*.json) with its parameters. "error" means the return would be wrong or refused by Skatteverket;
// "warning" means something the accountant should look at.

export type ProblemSeverity = "error" | "warning";

export interface TaxProblem {
  key: string;
  severity: ProblemSeverity;
  params: Record<string, string | number>;
}

export const error = (key: string, params: Record<string, string | number> = {}): TaxProblem => ({ key, severity: "error", params });
export const warning = (key: string, params: Record<string, string | number> = {}): TaxProblem => ({ key, severity: "warning", params });

/** Every key this module can report, for the message-completeness test and the README. */
export const PROBLEM_KEYS = [
  "yearInvalid", "accountWithoutCode", "sruCodeUnknown", "sruCodeAmbiguous", "balanceSheetUnbalanced", "resultMismatch",
  "fundYearUnknown", "fundMustBeReversed", "fundReversalInvalid", "fundAccountTaken", "allocationAboveMax",
  "allocationNegative", "slrUnknown", "slrUnconfirmed", "adjustmentUnknownCode", "adjustmentNotEditable",
  "adjustmentCommentMissing", "negativeNotAllowed", "taxNotStable", "orgNrInvalid", "formVersionUnknown",
  "zeroField", "duplicateField", "exclusivePair", "ink2Mismatch", "textNotLatin1", "textHasHash", "textTooLong",
  "senderNameMissing", "postalCodeInvalid", "cityMissing", "noSruCodes", "noYear", "fileUnreadable",
  "outputNotWritable",
] as const;

export type ProblemKey = (typeof PROBLEM_KEYS)[number];
