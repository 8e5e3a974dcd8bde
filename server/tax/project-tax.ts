// The Skatt step of a closing project (server-only): the project's books after adjustments, its imported SRU codes
// and its stored choices (tax_choices) as input to the pure computeTax, last year's loss from the client's previous
// project, and the SRU file pair. Booking the vouchers is project-book.ts.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { resultRows, toNumber, type Db, type DbOrTx } from "@/db/client";
import { ledgerAccounts, projects, taxChoices, type TaxReversalChoice, type TaxSender } from "@/db/schema";
import { getProject } from "@/server/closing/projects";
import { accountTotals, chartOf, currentImportOf, type ChartAccount } from "@/server/closing/ledger";
import { INK2S } from "./data/forms";
import { computeTax } from "./compute";
import { PROGRAM, stockholmStamp } from "./run";
import { checkSru } from "./sru-check";
import { sruDocument, writeSru, type SruDocument } from "./sru";
import type { TaxProblem } from "./problems";
import type { TaxAccountInput, TaxComputation, TaxInput } from "./types";
import { GENERATED_TAX_KINDS } from "./kinds";

export { GENERATED_TAX_KINDS };

export interface TaxChoiceState {
  allocationOre: number | null;
  reversals: TaxReversalChoice;
  ink2sEdits: Record<string, { amountOre: number; comment: string }>;
  previousLossOre: number | null;
  sruOverrides: Record<string, string>;
  fundYears: Record<string, number>;
  slrBp: number | null;
  sender: TaxSender;
}

export const DEFAULT_CHOICES: TaxChoiceState = {
  allocationOre: null, reversals: "required", ink2sEdits: {}, previousLossOre: null, sruOverrides: {}, fundYears: {}, slrBp: null, sender: {},
};

export async function loadTaxChoices(db: DbOrTx, projectId: string): Promise<TaxChoiceState> {
  const [row] = await db.select().from(taxChoices).where(eq(taxChoices.projectId, projectId));
  if (!row) return { ...DEFAULT_CHOICES };
  return {
    allocationOre: row.allocationOre, reversals: row.reversals, ink2sEdits: row.ink2sEdits, previousLossOre: row.previousLossOre,
    sruOverrides: row.sruOverrides, fundYears: row.fundYears, slrBp: row.slrBp, sender: row.sender,
  };
}

/**
 * Per account, the adjustments the books do not hold yet, leaving out this step's own generated vouchers that are
 * not exported (nor held by the exporter): those are regenerated in place, so the computation must not see them.
 * Exported ones are in the books, and the computation plans only the difference (a correcting voucher).
 */
async function pendingWithoutGenerated(db: DbOrTx, projectId: string, importId: string): Promise<Map<string, number>> {
  const kinds = sql.join(GENERATED_TAX_KINDS.map((k) => sql`${k}`), sql`, `);
  const rows = resultRows<{ account: string; amount: unknown }>(
    await db.execute(sql`
      select r.account, sum(r.amount_ore) as amount from adjustment_rows r join adjustments a on a.id = r.adjustment_id
      where a.project_id = ${projectId}
        and not (a.kind in (${kinds}) and a.exported_at is null and a.export_locked_at is null)
        and not (a.fortnox_ref is not null and exists (
          select 1 from ledger_vouchers v where v.import_id = ${importId} and v.series = a.fortnox_ref->>'series' and v.number = a.fortnox_ref->>'number'))
      group by r.account`),
  );
  return new Map(rows.map((r) => [r.account, toNumber(r.amount)]));
}

/** The trial balance after adjustments as computeTax's accounts, with the imported SRU codes. */
export async function taxAccounts(db: DbOrTx, projectId: string, importId: string): Promise<{ accounts: TaxAccountInput[]; chart: Map<string, ChartAccount> }> {
  const [totals, pending, chart, srus] = await Promise.all([
    accountTotals(db, importId),
    pendingWithoutGenerated(db, projectId, importId),
    chartOf(db, projectId, importId),
    db.select({ number: ledgerAccounts.number, sru: ledgerAccounts.sru }).from(ledgerAccounts).where(eq(ledgerAccounts.importId, importId)),
  ]);
  const sruOf = new Map(srus.map((s) => [s.number, s.sru?.trim() || null]));
  const numbers = new Set([...totals.keys(), ...pending.keys()]);
  const accounts = [...numbers].sort().map((number) => {
    const t = totals.get(number);
    const ib = t?.ibOre ?? 0;
    return { number, name: chart.get(number)?.name ?? null, sru: sruOf.get(number) ?? null, ibOre: ib, closingOre: ib + (t?.changeOre ?? 0) + (pending.get(number) ?? 0) };
  });
  return { accounts, chart };
}

export interface PreviousLoss {
  source: "project" | "typed" | "none";
  amountOre: number;
  projectId?: string;
  projectName?: string;
}

const MAX_DEPTH = 3;

/** 4.14a: last year's 4.16 from the client's previous closing project when it has books; else the typed amount. */
async function previousLoss(db: DbOrTx, project: typeof projects.$inferSelect, typed: number | null, depth: number): Promise<PreviousLoss> {
  const fallback: PreviousLoss = typed ? { source: "typed", amountOre: typed } : { source: "none", amountOre: 0 };
  if (depth >= MAX_DEPTH) return fallback;
  const [prev] = await db
    .select().from(projects)
    .where(and(eq(projects.clientId, project.clientId), lt(projects.endDate, project.startDate)))
    .orderBy(desc(projects.endDate)).limit(1);
  if (!prev) return fallback;
  const c = await computeFor(db, prev, depth + 1);
  if (!c) return fallback;
  const deficit = c.computation.ink2s.find((f) => f.code === INK2S.deficit)?.amountOre ?? 0;
  return { source: "project", amountOre: deficit, projectId: prev.id, projectName: prev.name };
}

export interface ProjectTax {
  computation: TaxComputation;
  choices: TaxChoiceState;
  previousLoss: PreviousLoss;
  chart: Map<string, ChartAccount>;
  importId: string;
}

/** Choices that replace the stored ones for this computation only (the page's live recomputation). */
export type ChoiceOverrides = Partial<TaxChoiceState>;

async function computeFor(db: DbOrTx, project: typeof projects.$inferSelect, depth: number, overrides: ChoiceOverrides = {}): Promise<ProjectTax | null> {
  const imp = await currentImportOf(db, project.id);
  if (!imp) return null;
  const choices = { ...(await loadTaxChoices(db, project.id)), ...overrides };
  const [{ accounts, chart }, loss] = await Promise.all([
    taxAccounts(db, project.id, imp.id),
    previousLoss(db, project, choices.previousLossOre, depth),
  ]);
  const input: TaxInput = {
    year: { start: project.startDate, end: project.endDate },
    accounts,
    sruOverrides: choices.sruOverrides,
    fundYears: choices.fundYears,
    previousLossOre: loss.amountOre,
    ink2sEdits: choices.ink2sEdits,
    ...(choices.slrBp != null ? { slrBp: choices.slrBp } : {}),
    choices: { ...(choices.allocationOre != null ? { allocationOre: choices.allocationOre } : {}), reversals: choices.reversals, bookTax: true },
  };
  return { computation: computeTax(input), choices, previousLoss: loss, chart, importId: imp.id };
}

/** The project's tax as the page shows it; null before the first import. */
export async function projectTax(db: Db, firmId: string, projectId: string, overrides?: ChoiceOverrides): Promise<ProjectTax | null> {
  const { project } = await getProject(db, firmId, projectId);
  return computeFor(db, project, 0, overrides);
}

/** Used by the booking, inside its transaction. */
export const projectTaxIn = (db: DbOrTx, project: typeof projects.$inferSelect) => computeFor(db, project, 0);

export interface ProjectSru {
  doc: SruDocument;
  problems: TaxProblem[];
  files: { info: Uint8Array; blanketter: Uint8Array };
}

/** The SRU document of a computation (the company is its own sender) and what checkSru finds in it. */
export function sruOf(t: ProjectTax, client: { orgNr: string; name: string }, now = new Date()): { doc: SruDocument; problems: TaxProblem[] } {
  const s = t.choices.sender;
  const doc = sruDocument(t.computation, {
    orgNr: client.orgNr, name: client.name, createdAt: stockholmStamp(now), program: PROGRAM,
    sender: { orgNr: client.orgNr, name: client.name, address: s.address, postalCode: s.postalCode ?? "", city: s.city ?? "", contact: s.contact, email: s.email, phone: s.phone },
  });
  return { doc, problems: checkSru(doc) };
}

/** The SRU pair of the project and what the check found; null before an import. */
export async function projectSru(db: Db, firmId: string, projectId: string, now = new Date()): Promise<ProjectSru | null> {
  const { project, client } = await getProject(db, firmId, projectId);
  const t = await computeFor(db, project, 0);
  if (!t) return null;
  const { doc, problems } = sruOf(t, client, now);
  return { doc, problems, files: writeSru(doc) };
}
