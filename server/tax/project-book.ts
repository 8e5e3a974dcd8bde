// Saving the Skatt step's choices and booking its vouchers. Booking is idempotent: each generated kind has at most
// one unexported voucher, updated in place on every recalculation; an exported one is never touched, the
// computation then plans only the difference and that becomes a new, correcting voucher. Then the year's result
// (8999/2099) through the existing closing entry. All in one transaction.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { adjustments, projects, taxChoices } from "@/db/schema";
import { createAdjustment, deleteAdjustment, generateClosingEntry, updateAdjustment } from "@/server/closing/adjustments";
import type { ProjectActor } from "@/server/scope";
import { isBasAccount } from "@/server/closing/bas";
import { badRequest, conflict, DomainError } from "@/server/errors";
import { ink2rRowOf, INK2S_FIELDS } from "./data/forms";
import { GENERATED_TAX_KINDS, loadTaxChoices, projectTaxIn, type TaxChoiceState } from "./project-tax";
import { taxVouchers } from "./vouchers";

/** 100 000 000 000 kr, as for adjustment rows. */
const MAX_ORE = 10_000_000_000_000;
export const MAX_COMMENT = 500;
const EDITABLE_INK2S = new Set(INK2S_FIELDS.filter((f) => f.kind === "adjustment").map((f) => f.code));

function checkOre(v: number | null | undefined, key: string) {
  if (v == null) return;
  if (!Number.isSafeInteger(v) || v < 0 || v > MAX_ORE) throw badRequest(key);
}

/** The domain's rules for the choices (the router's zod schema checks shapes; this checks meaning). */
export function validateChoices(patch: Partial<TaxChoiceState>) {
  checkOre(patch.allocationOre, "taxAllocationInvalid");
  checkOre(patch.previousLossOre, "taxLossInvalid");
  for (const [account, code] of Object.entries(patch.sruOverrides ?? {})) {
    if (!isBasAccount(account)) throw badRequest("accountNumberInvalid", { account });
    if (!ink2rRowOf(code)) throw badRequest("taxSruCodeUnknown", { account, code });
  }
  for (const [code, e] of Object.entries(patch.ink2sEdits ?? {})) {
    if (!EDITABLE_INK2S.has(code)) throw badRequest("taxInk2sNotEditable", { code });
    if (!Number.isSafeInteger(e.amountOre) || Math.abs(e.amountOre) > MAX_ORE) throw badRequest("taxAmountInvalid", { code });
    if (e.comment.length > MAX_COMMENT) throw badRequest("taxCommentTooLong", { max: MAX_COMMENT });
  }
  for (const [account, year] of Object.entries(patch.fundYears ?? {})) {
    if (!isBasAccount(account) || !Number.isInteger(year) || year < 1990 || year > 2100) throw badRequest("taxFundYearInvalid", { account });
  }
  if (typeof patch.reversals === "object") for (const v of Object.values(patch.reversals)) checkOre(v, "taxAllocationInvalid");
  if (patch.slrBp != null && (!Number.isInteger(patch.slrBp) || patch.slrBp < 0 || patch.slrBp > 2000)) throw badRequest("taxSlrInvalid");
  const pc = patch.sender?.postalCode?.replace(/\s/g, "");
  if (pc && !/^\d{5}$/.test(pc)) throw badRequest("taxPostalCodeInvalid");
}

/** Stores a part of the choices; what the patch leaves out stays. */
export async function saveTaxChoices(db: Db, scope: ProjectActor, patch: Partial<TaxChoiceState>): Promise<TaxChoiceState> {
  validateChoices(patch);
  const next = { ...(await loadTaxChoices(db, scope.projectId)), ...patch };
  const values = { ...next, firmId: scope.firmId, updatedBy: scope.userId, updatedAt: new Date() };
  await db.insert(taxChoices).values({ projectId: scope.projectId, ...values })
    .onConflictDoUpdate({ target: taxChoices.projectId, set: values });
  return next;
}

/** Problems that make the vouchers wrong: booking waits until they are solved. */
const BLOCKING = new Set(["allocationAboveMax", "allocationNegative", "fundReversalInvalid", "fundAccountTaken", "taxNotStable", "slrUnknown", "yearInvalid"]);

export interface BookResult {
  created: number[];
  updated: number[];
  deleted: number[];
  /** Of the created, those that correct an exported voucher of the same kind. */
  corrections: number[];
  resultOre: number | null;
}

export async function bookProjectTax(db: Db, scope: ProjectActor): Promise<BookResult> {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [project] = await tx.select().from(projects).where(eq(projects.id, scope.projectId)).for("update");
    const generated = await tx.select().from(adjustments)
      .where(and(eq(adjustments.projectId, scope.projectId), inArray(adjustments.kind, [...GENERATED_TAX_KINDS])))
      .orderBy(asc(adjustments.number));
    const locked = generated.find((a) => !a.exportedAt && a.exportLockedAt);
    if (locked) throw conflict("adjustmentLocked", { number: locked.number });
    const t = await projectTaxIn(tx, project);
    if (!t) throw new DomainError("PRECONDITION_FAILED", "closingNoImport");
    const blocking = t.computation.problems.find((p) => p.severity === "error" && BLOCKING.has(p.key));
    if (blocking) throw badRequest("taxBookingBlocked");

    const out: BookResult = { created: [], updated: [], deleted: [], corrections: [], resultOre: null };
    const drafts = taxVouchers(t.computation, new Set(t.chart.keys()));
    const open = generated.filter((a) => !a.exportedAt);
    for (const draft of drafts) {
      const mine = open.find((a) => a.kind === draft.kind);
      const correcting = generated.some((a) => a.kind === draft.kind && a.exportedAt);
      const input = correcting ? { ...draft, text: `Rättelse: ${draft.text}`.slice(0, 200) } : draft;
      if (mine) {
        await updateAdjustment(tx, scope, mine.id, input);
        out.updated.push(mine.number);
      } else {
        const a = await createAdjustment(tx, scope, input);
        out.created.push(a.number);
        if (correcting) out.corrections.push(a.number);
      }
    }
    // A generated voucher the plan no longer needs (e.g. the allocation set back to zero) goes.
    for (const a of open) {
      if (drafts.some((d) => d.kind === a.kind)) continue;
      await deleteAdjustment(tx, scope, a.id);
      out.deleted.push(a.number);
    }
    try {
      out.resultOre = (await generateClosingEntry(tx, scope))?.resultOre ?? 0;
    } catch (e) {
      // Nothing left to book on 8999 (the result is already booked and exported): not an error here.
      if (!(e instanceof DomainError && e.key === "closingEntryNothing")) throw e;
    }
    return out;
  });
}

/** The generated vouchers with their status, for the page. */
export async function generatedTaxVouchers(db: Db, projectId: string) {
  return db.select({ id: adjustments.id, number: adjustments.number, kind: adjustments.kind, text: adjustments.text, exportedAt: adjustments.exportedAt, fortnoxRef: adjustments.fortnoxRef })
    .from(adjustments)
    .where(and(eq(adjustments.projectId, projectId), inArray(adjustments.kind, [...GENERATED_TAX_KINDS, "closingEntry"])))
    .orderBy(asc(adjustments.number));
}
