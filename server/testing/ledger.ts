import type { Db } from "@/db/client";
import { importJobHandler } from "@/server/import/job";
import { currentImport, startSieImport } from "@/server/import/project-imports";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { generateCompany } from "@/server/sandbox/data/generator";
import { DEFAULT_TENANTS, profileOf } from "@/server/sandbox/data/tenants";
import { sieChunks } from "@/server/sandbox/sie";

/** The demo company's org number, without the hyphen, as firmWithData takes it. */
export const DEMO_ORG_NR = DEFAULT_TENANTS[0].orgNr.replace("-", "");

/**
 * A SIE 4 file of the sandbox's demo company for the financial year `year` (as Fortnox exports it), in memory.
 * The generator's "previous" year is the one exported, so `vouchers` is that year's size.
 */
export function demoSieBytes(opts: { year?: number; vouchers?: number } = {}): Uint8Array {
  const year = opts.year ?? 2025;
  const tenant = DEFAULT_TENANTS[0];
  const vouchers = opts.vouchers ?? 300;
  const co = generateCompany({ profile: profileOf(tenant), vouchers, previousVouchers: vouchers, currentYear: year + 1, firstYearId: tenant.firstYearId });
  return new Uint8Array(Buffer.concat([...sieChunks(co, { type: 4, yearIdx: 0, generatedDay: 20_000 })]));
}

async function* chunks(bytes: Uint8Array, size = 256 * 1024) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Registers the import job handler for SIE uploads (a process-wide registry; Fortnox imports are not needed). */
export function useSieImports() {
  registerJobHandler("import", importJobHandler({ fortnoxFor: async () => { throw new Error("no Fortnox in this test"); } }));
}

/** Imports SIE bytes into a project the way an upload does (store, queue, run the job) and returns the current import. */
export async function importSie(db: Db, ref: { firmId: string; projectId: string; userId: string }, bytes: Uint8Array, fileName = "demo.se") {
  const job = await startSieImport(db, ref, fileName, chunks(bytes));
  if (!(await workOnce(db, ["import"]))) throw new Error("no import job ran");
  const done = await getJob(db, job.id);
  if (done?.state !== "succeeded") throw new Error(`import failed: ${done?.errorKey}`);
  const imp = await currentImport(db, ref.projectId);
  if (!imp) throw new Error("no current import");
  return imp;
}
