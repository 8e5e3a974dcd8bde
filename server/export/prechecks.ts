import { FortnoxApiError } from "@/server/fortnox/errors";
import type { FortnoxApi } from "@/server/fortnox/resources";
import type { Account, FinancialYear, VoucherSeries } from "@/server/fortnox/schemas";
import { firstInvalidCharacter } from "@/server/fortnox/text";
import type { ExportProblem, ExportVoucher } from "./types";
import { commentsWithMarker, fortnoxTexts, LIMITS, MARKER_LENGTH } from "./voucher";

// Checks before anything is sent. Fortnox refuses most of these with codes that docs/fortnox-api.md leaves
// unconfirmed, and a refused POST says nothing about the other vouchers: we check everything ourselves, with a
// handful of requests for the whole export (years, locked period, and per financial year its series and
// accounts), and tell the user per voucher what to fix.

/** What the checks learned from Fortnox, reused by the exporter so that sending needs no further lookups. */
export interface PrecheckContext {
  years: FinancialYear[];
  /** Last locked date, null when nothing is locked, undefined when the connection may not read it. */
  lockedThrough: string | null | undefined;
  seriesByYear: Map<number, VoucherSeries[]>;
  accountsByYear: Map<number, Map<number, Account>>;
}

export interface PrecheckResult {
  problems: ExportProblem[];
  /** Financial year Id per voucher id, for vouchers whose date has a year. */
  yearOf: Map<string, number>;
  context: PrecheckContext;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/**
 * The checks that need no Fortnox: shape, balance, lengths, characters. Texts are checked as they will be sent:
 * after the faithful substitutions of toFortnoxText (a quotation mark becomes ’, a tab a space); what has no
 * substitute is named with where it is.
 */
export function checkVoucherShape(v: ExportVoucher): ExportProblem[] {
  const out: ExportProblem[] = [];
  const add = (key: string, params: Record<string, string | number> = {}) => out.push({ voucherId: v.id, key, params });
  const texts = fortnoxTexts(v);
  if (!isRealDate(v.date)) add("exportDateInvalid", { date: v.date });
  const text = texts.description;
  if (!text) add("exportTextMissing");
  else if (text.length > LIMITS.description) add("exportDescriptionTooLong", { max: LIMITS.description, length: text.length });
  const badText = firstInvalidCharacter(text);
  if (badText) add("exportInvalidCharacterText", badText);
  // The marker is ours, but it shares Fortnox's 1000 characters with the user's comment.
  const comments = commentsWithMarker("X".repeat(MARKER_LENGTH), texts.comments);
  if (comments.length > LIMITS.comments) {
    add("exportCommentsTooLong", { max: LIMITS.comments - MARKER_LENGTH - 1, length: texts.comments.length });
  }
  const badComments = firstInvalidCharacter(texts.comments);
  if (badComments) add("exportInvalidCharacterComments", badComments);
  if (v.rows.length < 2) add("exportTooFewRows", { rows: v.rows.length });
  let sum = 0;
  v.rows.forEach((r, i) => {
    const row = i + 1;
    if (!/^\d{4}$/.test(r.account)) add("exportAccountInvalid", { account: r.account, row });
    if (!Number.isSafeInteger(r.amountOre) || r.amountOre === 0) add("exportAmountInvalid", { row });
    else sum += r.amountOre;
    const info = texts.rows[i];
    if (info.length > LIMITS.transactionInformation) {
      add("exportRowTextTooLong", { row, max: LIMITS.transactionInformation, length: info.length });
    }
    const badRow = firstInvalidCharacter(info);
    if (badRow) add("exportInvalidCharacterRowText", { row, ...badRow });
  });
  if (sum !== 0) add("exportUnbalanced", { difference: sum / 100 });
  return out;
}

function lockedScopeMissing(err: unknown): boolean {
  return err instanceof FortnoxApiError && (err.kind === "missing_scope" || err.kind === "no_licence_for_scope");
}

/**
 * Every problem of every voucher, in voucher order. `series` is the chosen Fortnox series (one for all, or per
 * voucher). Requests: financial years 1, locked period 1, and per financial year used: series 1 + accounts ≥ 1.
 */
export async function precheckVouchers(
  api: FortnoxApi,
  vouchers: ExportVoucher[],
  series: string | ((voucherId: string) => string),
): Promise<PrecheckResult> {
  const seriesOf = typeof series === "string" ? () => series : series;
  const problems: ExportProblem[] = [];
  const yearOf = new Map<string, number>();
  const context: PrecheckContext = { years: [], lockedThrough: undefined, seriesByYear: new Map(), accountsByYear: new Map() };
  if (vouchers.length === 0) return { problems, yearOf, context };

  context.years = await api.listFinancialYears();
  try {
    context.lockedThrough = (await api.getLockedPeriod()).endDate;
  } catch (err) {
    // The settings scope is unconfirmed (docs/fortnox-api.md §4): without it Fortnox still refuses a locked date on POST.
    if (!lockedScopeMissing(err)) throw err;
  }

  const shapes = new Map(vouchers.map((v) => [v.id, checkVoucherShape(v)]));
  for (const v of vouchers) {
    if (!isRealDate(v.date)) continue;
    const y = context.years.find((fy) => fy.fromDate <= v.date && v.date <= fy.toDate);
    if (y) yearOf.set(v.id, y.id);
  }
  for (const id of new Set(yearOf.values())) {
    context.seriesByYear.set(id, await api.listVoucherSeries(id));
    const accounts = await api.listAccounts(id);
    context.accountsByYear.set(id, new Map(accounts.map((a) => [a.number, a])));
  }

  for (const v of vouchers) {
    problems.push(...shapes.get(v.id)!);
    const add = (key: string, params: Record<string, string | number> = {}) => problems.push({ voucherId: v.id, key, params });
    if (!isRealDate(v.date)) continue;
    const yearId = yearOf.get(v.id);
    if (yearId === undefined) {
      add("exportNoFinancialYear", { date: v.date });
      continue;
    }
    if (context.lockedThrough && v.date <= context.lockedThrough) add("exportPeriodLocked", { date: v.date, lockedThrough: context.lockedThrough });
    const code = seriesOf(v.id);
    const s = context.seriesByYear.get(yearId)!.find((x) => x.code === code);
    if (!s) add("exportSeriesMissing", { series: code });
    else if (!s.manual) add("exportSeriesNotManual", { series: code });
    const chart = context.accountsByYear.get(yearId)!;
    const seen = new Set<string>();
    v.rows.forEach((r, i) => {
      if (!/^\d{4}$/.test(r.account)) return;
      const a = chart.get(Number(r.account));
      if (!seen.has(r.account)) {
        if (!a) add("exportAccountMissing", { account: r.account });
        else if (!a.active) add("exportAccountInactive", { account: r.account });
      }
      // Cost centre and project as the account's settings demand: one problem per account and rule.
      if (a) {
        const dims = [
          [a.costCenterSettings, r.costCenter, "exportCostCenterRequired", "exportCostCenterNotAllowed"],
          [a.projectSettings, r.project, "exportProjectRequired", "exportProjectNotAllowed"],
        ] as const;
        for (const [setting, value, required, notAllowed] of dims) {
          const key = setting === "MANDATORY" && !value ? required : setting === "NOTALLOWED" && value ? notAllowed : null;
          if (key && !problems.some((p) => p.voucherId === v.id && p.key === key && p.params.account === r.account)) add(key, { account: r.account, row: i + 1 });
        }
      }
      seen.add(r.account);
    });
  }
  return { problems, yearOf, context };
}

/** Every translation key the checks can produce. */
export const PRECHECK_KEYS = [
  "exportDateInvalid",
  "exportTextMissing",
  "exportDescriptionTooLong",
  "exportCommentsTooLong",
  "exportRowTextTooLong",
  "exportTooFewRows",
  "exportAccountInvalid",
  "exportAmountInvalid",
  "exportUnbalanced",
  "exportNoFinancialYear",
  "exportPeriodLocked",
  "exportSeriesMissing",
  "exportSeriesNotManual",
  "exportAccountMissing",
  "exportAccountInactive",
  "exportInvalidCharacterText",
  "exportInvalidCharacterComments",
  "exportInvalidCharacterRowText",
  "exportCostCenterRequired",
  "exportCostCenterNotAllowed",
  "exportProjectRequired",
  "exportProjectNotAllowed",
] as const;

/** Every key of the "errors" namespace the export can put on an item, an attachment or a job. */
export const EXPORT_ERROR_KEYS = [
  ...PRECHECK_KEYS,
  "exportVoucherMissing",
  "exportAttachmentMissing",
  "exportAttachmentConnectedElsewhere",
  "exportNothingSelected",
  "exportSeriesInvalid",
  "exportCancelled",
  "exportAttachmentScopesMissing",
] as const;
