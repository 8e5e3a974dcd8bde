// The input and output of the tax computation. Money is integer öre (debit positive in balances); dates are ISO
// strings. Field amounts are oriented as the form prints them (see README.md, "Signs").
import type { TaxProblem } from "./problems";

export interface TaxAccountInput {
  number: string;
  name: string | null;
  /** The SRU code the import gave the account (SIE #SRU, Fortnox's SRU field), if any. */
  sru: string | null;
  /** Opening balance of the year (debit positive; zero for income-statement accounts). */
  ibOre: number;
  /** Closing balance after the closing adjustments (income-statement accounts: the year's total). */
  closingOre: number;
}

export interface TaxYear {
  start: string;
  end: string;
}

export interface Ink2sEdit {
  amountOre: number;
  comment: string;
}

export interface TaxChoices {
  /** The year's total allocation to a periodiseringsfond; absent: what the books hold. */
  allocationOre?: number;
  /** The year's total reversal per fund account; "required": every fund that must be reversed, fully. */
  reversals?: "asBooked" | "required" | Record<string, number>;
  /** Replace the booked tax (89xx) with the computed tax, as the tax voucher will. */
  bookTax?: boolean;
}

export interface TaxInput {
  year: TaxYear;
  accounts: TaxAccountInput[];
  /** The project's own SRU code for an account, over the imported one. */
  sruOverrides?: Record<string, string>;
  /** The tax year a fund account's fund was made in (the calendar year that year ended), when its name does not say. */
  fundYears?: Record<string, number>;
  /** Unused tax loss from last year (INK2S 4.14a): last year's project, else typed. */
  previousLossOre?: number;
  /** The user's amounts for INK2S fields, by SRU code, each with a comment. */
  ink2sEdits?: Record<string, Ink2sEdit>;
  /** Statslåneräntan (basis points) when the table has no row for the year. */
  slrBp?: number;
  choices?: TaxChoices;
}

export type CodeSource = "override" | "import" | "bas";

export interface FieldLine {
  /** Null for a line that is not an account (the year's unbooked result, a fund's uplift …). */
  account: string | null;
  name: string | null;
  /** The line's part of the field, oriented like the field. */
  amountOre: number;
  /** Of which this module plans to book (allocation, reversal, tax). */
  plannedOre: number;
  source: CodeSource | "unbookedResult" | "computed" | "typed";
}

export interface FormField {
  form: "INK2" | "INK2R" | "INK2S";
  row: string;
  code: string;
  label: string;
  amountOre: number;
  /** What goes into the file: whole kronor, öre dropped. */
  kronor: number;
  lines: FieldLine[];
}

export interface Ink2sField extends FormField {
  sign: 1 | -1;
  suggestedOre: number;
  edited: boolean;
  comment: string | null;
  editable: boolean;
}

export interface ResolvedAccount {
  number: string;
  name: string | null;
  code: string | null;
  source: CodeSource | null;
  row: string | null;
  ibOre: number;
  closingOre: number;
  plannedOre: number;
}

export interface Fund {
  account: string;
  name: string | null;
  /** The tax year (by the calendar year it ended) the fund was made in; null when unknown. */
  year: number | null;
  /** Credit balances, positive. */
  ibOre: number;
  closingOre: number;
  bookedReversalOre: number;
  reversedOre: number;
  mustReverse: boolean;
  upliftPercent: number;
  upliftOre: number;
}

export interface Schablon {
  fundsAtStartOre: number;
  novemberYear: number;
  slrBp: number | null;
  /** Parts per million of the funds for a 12-month year (floor, 72 % rule applied). */
  ratePpm: number;
  months: number | null;
  days: number;
  amountOre: number;
  source: string;
}

export interface Planning {
  /** The surplus before any allocation (kronor), the basis of the 25 % rule. */
  basisOre: number;
  maxAllocationOre: number;
  allocationOre: number;
  allocationAccount: string | null;
  /** 4.15 överskott (positive) or minus 4.16 underskott, whole kronor in öre. */
  taxableOre: number;
  /** Överskott rounded down to whole tens of kronor (1 kap. 7 § IL). */
  taxBaseOre: number;
  taxRateBp: number;
  taxOre: number;
  bookedTaxOre: number;
  resultBeforeTaxOre: number;
  resultAfterTaxOre: number;
}

export interface PlannedEntry {
  account: string;
  name: string;
  /** Debit positive, on `account`; the counter-account takes the opposite. */
  amountOre: number;
  counterAccount: string;
  counterName: string;
  year: number | null;
}

export interface TaxComputation {
  year: TaxYear & { months: number | null; period: string };
  accounts: ResolvedAccount[];
  ink2: FormField[];
  ink2r: FormField[];
  ink2s: Ink2sField[];
  funds: Fund[];
  schablon: Schablon;
  planning: Planning;
  /** What the vouchers must book on top of the books: allocation, reversals, tax. */
  planned: { allocation: PlannedEntry | null; reversals: PlannedEntry[]; tax: PlannedEntry | null };
  checks: {
    assetsOre: number;
    equityAndLiabilitiesOre: number;
    balanceOk: boolean;
    fieldsResultOre: number;
    statementResultOre: number;
    resultOk: boolean;
  };
  problems: TaxProblem[];
}
