import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { imports, ledgerBalances, ledgerOpenItems } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";
import { BlobTooLargeError, deleteBlob, writeBlob } from "@/server/files/blob-store";
import { enqueueJob, latestJob } from "@/server/jobs/queue";
import { kickWorker } from "@/server/jobs/runner";
import { MAX_SIE_BYTES } from "@/lib/upload-limits";
import type { ProjectActor } from "@/server/scope";
import type { ImportJobPayload } from "./job";
import { warningDetail } from "@/server/sie";

export async function startFortnoxImport(db: Db, ref: ProjectActor, dataSource: string) {
  if (dataSource !== "fortnox") throw badRequest("importWrongSource");
  const job = await enqueueJob(db, {
    firmId: ref.firmId, projectId: ref.projectId, kind: "import", createdBy: ref.userId, payload: { source: "fortnox" } satisfies ImportJobPayload,
  });
  kickWorker();
  return job;
}

/**
 * A SIE file must start with a SIE record (after an optional UTF-8 BOM and blank lines); anything else is refused
 * before a byte is stored, whatever its name says.
 */
export function looksLikeSie(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0d || head[i] === 0x0a)) i++;
  if (head[i] !== 0x23) return false; // '#'
  const label = Buffer.from(head.subarray(i + 1, i + 12)).toString("latin1");
  return /^[A-Z]{2,}/.test(label);
}

/** Stores the uploaded file as it streams in (never whole in memory) and queues its import. */
export async function startSieImport(db: Db, ref: ProjectActor, fileName: string, body: AsyncIterable<Uint8Array>) {
  const active = await latestJob(db, ref.projectId, "import");
  if (active && (active.state === "queued" || active.state === "running")) throw conflict("jobAlreadyActive");
  let blob;
  try {
    blob = await writeBlob(db, ref.firmId, body, {
      maxBytes: MAX_SIE_BYTES,
      inspectHead: (head) => {
        if (!looksLikeSie(head)) throw badRequest("sieNotSie");
      },
    });
  } catch (err) {
    if (err instanceof BlobTooLargeError) throw badRequest("sieTooLarge", { mb: MAX_SIE_BYTES / 1024 / 1024 });
    throw err;
  }
  try {
    if (blob.size === 0) throw badRequest("sieNotSie");
    const payload: ImportJobPayload = { source: "sie", blobId: blob.id, fileName: fileName.slice(0, 255) };
    const job = await enqueueJob(db, { firmId: ref.firmId, projectId: ref.projectId, kind: "import", createdBy: ref.userId, payload: payload as unknown as Record<string, unknown> });
    kickWorker();
    return job;
  } catch (err) {
    // An empty file, or another import queued while this one uploaded: the stored bytes belong to nothing.
    await deleteBlob(db, blob.id);
    throw err;
  }
}

export async function currentImport(db: Db, projectId: string) {
  const [row] = await db.select().from(imports).where(and(eq(imports.projectId, projectId), eq(imports.isCurrent, true)));
  return row ?? null;
}

export async function importHistory(db: Db, projectId: string) {
  return db
    .select({
      id: imports.id, source: imports.source, status: imports.status, isCurrent: imports.isCurrent, startedAt: imports.startedAt,
      publishedAt: imports.publishedAt, counts: imports.counts, errorKey: imports.errorKey, meta: imports.meta, diff: imports.diff,
    })
    .from(imports)
    .where(eq(imports.projectId, projectId))
    .orderBy(desc(imports.startedAt))
    .limit(50);
}

/** The latest import job (for the progress bar after a reload) and the current import. */
export async function importState(db: Db, projectId: string) {
  const [job, row] = await Promise.all([latestJob(db, projectId, "import"), currentImport(db, projectId)]);
  // The page says each warning in the user's language by its code and keeps what the file itself added.
  const current = row && { ...row, warnings: row.warnings.map((w) => ({ ...w, detail: warningDetail(w.code, w.message) })) };
  return {
    job: job && {
      id: job.id, state: job.state, progress: job.progress, errorKey: job.errorKey, errorParams: job.errorParams,
      createdAt: job.createdAt, finishedAt: job.finishedAt, source: (job.payload as { source?: string }).source ?? null,
    },
    current,
  };
}

export async function importDetail(db: Db, projectId: string, importId: string) {
  const [row] = await db.select().from(imports).where(and(eq(imports.id, importId), eq(imports.projectId, projectId)));
  if (!row) throw notFound("importNotFound");
  return row;
}

export const LEDGER_ACCOUNT = { customer: "1510", supplier: "2440" } as const;

/**
 * The ready-made schedule of 1510 (customer) or 2440 (supplier): the open items at the closing date, their sum,
 * and the difference to the account's closing balance. Null before the first Fortnox import.
 */
export async function ledgerSchedule(db: Db, projectId: string, side: "customer" | "supplier") {
  const current = await currentImport(db, projectId);
  if (!current || current.source !== "fortnox") return null;
  const account = LEDGER_ACCOUNT[side];
  // Fortnox refused this ledger (no module, no permission): say why rather than show an empty specification.
  const refused = (current.meta as { ledgersUnavailable?: Partial<Record<string, "licence" | "scope">> }).ledgersUnavailable?.[side];
  if (refused) return { account, importId: current.id, unavailable: refused, items: [], sumOre: 0, balanceOre: 0, differenceOre: 0 };
  const items = await db
    .select()
    .from(ledgerOpenItems)
    .where(and(eq(ledgerOpenItems.importId, current.id), eq(ledgerOpenItems.side, side)))
    .orderBy(asc(ledgerOpenItems.counterpartyName), asc(ledgerOpenItems.invoiceDate), asc(ledgerOpenItems.invoiceNumber));
  const [ub] = await db
    .select({ amount: ledgerBalances.amountOre })
    .from(ledgerBalances)
    .where(and(eq(ledgerBalances.importId, current.id), eq(ledgerBalances.kind, "UB"), eq(ledgerBalances.yearIndex, 0), eq(ledgerBalances.account, account)));
  const sumOre = items.reduce((s, i) => s + i.openOre, 0);
  const balanceOre = ub?.amount ?? 0;
  return { account, importId: current.id, unavailable: null, items, sumOre, balanceOre, differenceOre: sumOre - balanceOre };
}
