// Figures that change by year, each row with its source. Dates are ISO strings; a tax year (beskattningsår) is the
// financial year. Rates are integers: basis points (1/100 %) or parts per million, so no float enters the money.

export interface TaxRateRow {
  /** First day of the tax years the rate applies to (the year's start decides, not its end). */
  from: string;
  /** Basis points: 2060 = 20,6 %. */
  bp: number;
  source: string;
}

/** Statlig inkomstskatt for an aktiebolag, by the day the tax year begins. Newest first. */
export const TAX_RATES: readonly TaxRateRow[] = [
  { from: "2021-01-01", bp: 2060, source: "65 kap. 10 § IL (SFS 2018:1206): 20,6 % for beskattningsår beginning after 2020-12-31" },
  { from: "2019-01-01", bp: 2140, source: "65 kap. 10 § IL (SFS 2018:1206): 21,4 % for beskattningsår beginning 2019-01-01–2020-12-31" },
  { from: "0000-01-01", bp: 2200, source: "65 kap. 10 § IL before SFS 2018:1206: 22 %" },
];

export function taxRateFor(yearStart: string): TaxRateRow {
  return TAX_RATES.find((r) => yearStart >= r.from)!;
}

export interface SlrRow {
  /** The calendar year whose 30 November is meant. */
  year: number;
  /** Statslåneräntan that day, basis points (may be negative). */
  bp: number;
  confirmed: boolean;
  source: string;
}

/**
 * Statslåneräntan at the end of November (Riksgälden). Used for the schablonintäkt of the tax year that ends in
 * the following calendar year (30 kap. 6 a § IL). A year missing here is a problem for the user to solve (a typed
 * rate), never a guess.
 */
export const SLR_NOVEMBER: readonly SlrRow[] = [
  { year: 2016, bp: 27, confirmed: true, source: "FAR Rätt Skatt, Statslåneränta: 30 nov 2016 0,27 %" },
  { year: 2017, bp: 49, confirmed: true, source: "FAR Rätt Skatt, Statslåneränta: 30 nov 2017 0,49 %" },
  { year: 2018, bp: 51, confirmed: true, source: "Riksgälden, 'Statslåneräntan per den 30 november 2018': 0,51 %" },
  { year: 2019, bp: -9, confirmed: true, source: "Riksgälden, news 2019-11-28: −0,09 % for 2019-11-29–2019-12-05" },
  { year: 2020, bp: -10, confirmed: true, source: "Redovisningshuset, 'Riksgälden har fastställt statslåneräntan' (2020-11-26): −0,10 %" },
  { year: 2021, bp: 23, confirmed: true, source: "redovisning.nu, 'Statslåneräntan 30/11': 30 nov 2021 0,23 %" },
  { year: 2022, bp: 194, confirmed: true, source: "redovisning.nu, 'Statslåneräntan 30/11': 30 nov 2022 1,94 %" },
  { year: 2023, bp: 262, confirmed: true, source: "Redovisningshuset, 'SLR statslåneräntan 2024': set 2023-11-23 for 24–30 nov 2023, 2,62 %" },
  // UNCONFIRMED: no stored copy of Riksgälden's or Skatteverket's 2024 figure was found; 1,96 % is the figure
  // accounting firms published for 2025. The computation warns whenever it uses this row.
  { year: 2024, bp: 196, confirmed: false, source: "UNCONFIRMED: 30 nov 2024 1,96 % (check Riksgälden / Skatteverket 'Belopp och procentsatser 2025')" },
];

export function slrFor(novemberYear: number): SlrRow | null {
  return SLR_NOVEMBER.find((r) => r.year === novemberYear) ?? null;
}

/**
 * Schablonintäkt on periodiseringsfonder (30 kap. 6 a § IL; Skatteverket, rättslig vägledning "Schablonintäkt"):
 * funds at the start of the tax year × statslåneräntan at the end of November of the year before the calendar year
 * in which the tax year ends, at least 0,5 % for tax years beginning after 2016-12-31 (prop. 2016/17:24), and
 * only 72 % of it for tax years beginning before 2019-01-01 (SFS 2018:1206; FAR Rätt Skatt, Statslåneränta).
 * Returns parts per million of the funds for a 12-month year.
 */
export function schablonRatePpm(yearStart: string, slrBp: number): number {
  const floored = yearStart >= "2017-01-01" ? Math.max(slrBp, 50) : slrBp;
  return yearStart >= "2019-01-01" ? floored * 100 : floored * 72;
}

/** At most 25 % of the surplus before the allocation (30 kap. 5 § IL; FAR Rätt Skatt, Periodiseringsfond). */
export const ALLOCATION_MAX_PERCENT = 25;

/** A fund must be reversed at the latest the sixth tax year after the year it was made in (30 kap. 7 § IL). */
export const FUND_MAX_AGE_YEARS = 6;

/**
 * Extra percentage taxed (INK2S 4.6d) when a fund made at a higher corporate tax rate is reversed in a year with a
 * lower one (övergångsbestämmelserna till SFS 2018:1206): made at 22 % and reversed at 21,4 % → 3 %, reversed at
 * 20,6 % → 6 %; made at 21,4 % and reversed at 20,6 % → 3 %. Corroborated by Skatteverket's INK2S 4.6d text
 * ("Uppräknat belopp vid återföring av periodiseringsfond") and BL Info, "Återföring av periodiseringsfond".
 */
export function reversalUpliftPercent(fundYearStart: string, reversalYearStart: string): number {
  const made = taxRateFor(fundYearStart).bp, now = taxRateFor(reversalYearStart).bp;
  if (made === 2200 && now === 2140) return 3;
  if (made === 2200 && now === 2060) return 6;
  if (made === 2140 && now === 2060) return 3;
  return 0;
}

/**
 * The blankett suffix: the calendar year the financial year ends in and the period by the month it ends in,
 * P1 January–April, P2 May–June, P3 July–August, P4 September–December (the four filing dates of 32 kap. 2 § SFL;
 * the same split in Skatteverket's "Teknisk information om filöverföring" and Visma's "När öppnar nästa period").
 */
export function periodOf(yearEnd: string): string {
  const y = Number(yearEnd.slice(0, 4)), m = Number(yearEnd.slice(5, 7));
  return `${y}P${m <= 4 ? 1 : m <= 6 ? 2 : m <= 8 ? 3 : 4}`;
}

/**
 * Periods whose INK2, INK2R and INK2S field tables we follow: Skatteverket's fältnamnstabeller
 * INK2_/INK2R_/INK2S_SKV2002-33-01-24-04 of the package "Ändringar från och med 2025P4" (unchanged from 2024P4,
 * valid through 2026P3), as transcribed in the public erp-mafia/accounted swedish-sru-filing skill (2025P4
 * revision). A later period needs its new tables checked before it is added.
 */
export const KNOWN_PERIODS: readonly string[] = ["2024P4", "2025P1", "2025P2", "2025P3", "2025P4", "2026P1", "2026P2", "2026P3"];
