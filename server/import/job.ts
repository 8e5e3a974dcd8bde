import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { imports, projects, type ImportCheck } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { getProject } from "@/server/closing/projects";
import { describeError } from "@/server/errors";
import { deleteBlob, readBlob } from "@/server/files/blob-store";
import type { FortnoxApi } from "@/server/fortnox/resources";
import type { JobContext, JobHandler } from "@/server/jobs/runner";
import type { SieStreamResult } from "@/server/sie";
import { checkBalancesAgree, checkLedgers, checkOpeningBalances, checkOrgNrMatches, checkVouchersBalance } from "./checks";
import { matchFinancialYear, openItemsOf, readRestInto, SIE_DOWNLOAD_ATTEMPTS, sieBrokeMidway, sieUnavailable } from "./fortnox-source";
import { fetchLedgersAtDate, type LedgersAtDate } from "./ledger-fetch";
import { deleteImportData, discardUnpublished, failImport, publishImport } from "./publish";
import { checkSieYear, readSieInto } from "./sie-source";
import { ImportWriter, writeOpenItems } from "./writer";

export interface ImportJobPayload {
  source: "fortnox" | "sie";
  /** SIE upload: the stored file and its name. */
  blobId?: string;
  fileName?: string;
}

export interface ImportDeps {
  /** A Fortnox API client for the project's client, with a valid token (server/connections). */
  fortnoxFor(db: Db, firmId: string, clientId: string): Promise<FortnoxApi>;
}

export const FORTNOX_STEPS = ["company", "year", "siePrepare", "sie", "ledgers", "checks", "publish"] as const;
export const SIE_STEPS = ["sie", "checks", "publish"] as const;

const WARNINGS_KEPT = 200;

function stepper(ctx: JobContext, steps: readonly string[]) {
  return (step: string, done = 0, total: number | null = null, etaSeconds: number | null = null) =>
    ctx.progress({ step, stepIndex: steps.indexOf(step), stepCount: steps.length, done, total, etaSeconds });
}

/** The closing project of the same client that ends the day before this one starts. */
async function previousYearImport(db: Db, clientId: string, startDate: string): Promise<string | null> {
  const [row] = await db
    .select({ id: imports.id })
    .from(projects)
    .innerJoin(imports, and(eq(imports.projectId, projects.id), eq(imports.isCurrent, true)))
    .where(and(eq(projects.clientId, clientId), sql`${projects.endDate} = (${startDate}::date - 1)`));
  return row?.id ?? null;
}

function sieMeta(r: SieStreamResult) {
  return {
    companyName: r.company.name, orgNr: r.company.orgNr, program: r.company.program?.name ?? null, sieType: r.company.sieType,
    encoding: r.encoding, ksumma: r.ksumma, warningCount: r.warnings.length + r.droppedWarnings,
  };
}

export function importJobHandler(deps: ImportDeps): JobHandler {
  return async (ctx) => {
    const { db, job } = ctx;
    const payload = job.payload as unknown as ImportJobPayload;
    const { project, client } = await getProject(db, job.firmId, job.projectId!);
    // A job run again after its process died starts from a clean slate.
    await discardUnpublished(db, job.id);
    const [imp] = await db
      .insert(imports)
      .values({ firmId: job.firmId, projectId: project.id, jobId: job.id, source: payload.source, createdBy: job.createdBy })
      .returning({ id: imports.id });
    let writer = await ImportWriter.create(db, imp.id);
    const steps = payload.source === "fortnox" ? FORTNOX_STEPS : SIE_STEPS;
    const step = stepper(ctx, steps);
    const year = { start: project.startDate, end: project.endDate };
    const checks: ImportCheck[] = [];
    let meta: Record<string, unknown> = {};
    let sie: SieStreamResult | null = null;
    let rest = false;
    let unavailable: LedgersAtDate["unavailable"] = {};

    try {
      if (payload.source === "sie") {
        step("sie");
        sie = await readSieInto(readBlob(db, job.firmId, payload.blobId!), writer, {
          year,
          onProgress: (p) => step("sie", p.vouchers, null),
        });
        meta = { ...sieMeta(sie), fileName: payload.fileName ?? null };
        checks.push(checkSieYear(sie, year.start, year.end), checkOrgNrMatches(sie.company.orgNr, client.orgNr));
      } else {
        const api = await deps.fortnoxFor(db, job.firmId, client.id);
        step("company");
        const company = await api.getCompanyInformation();
        checks.push(checkOrgNrMatches(company.organizationNumber, client.orgNr));
        step("year");
        const fy = matchFinancialYear(await api.listFinancialYears(), year.start, year.end);
        meta = { companyName: company.companyName, orgNr: company.organizationNumber, databaseNumber: company.databaseNumber, financialYearId: fy.id, accountingMethod: fy.accountingMethod };
        step("siePrepare");
        // The ledgers come over paged REST calls while the SIE file streams: both wait on the network, and the
        // rate limiter spaces the pages out anyway.
        let ledgerProgress = { done: 0, total: 6 };
        const ledgersPromise = fetchLedgersAtDate(api, year.end, (p) => (ledgerProgress = p));
        ledgersPromise.catch(() => {}); // awaited below; a failure then fails the import
        try {
          for (let attempt = 1; ; attempt++) {
            // Fortnox builds the whole file before the first byte: the bar says so, with the seconds waited, until then.
            const waitStart = Date.now();
            const waiting = setInterval(() => step("siePrepare", Math.round((Date.now() - waitStart) / 1000)), 1000);
            let stream: AsyncIterable<Uint8Array>;
            try {
              stream = await api.streamSie(4, fy.id);
            } finally {
              clearInterval(waiting);
            }
            step("sie");
            try {
              sie = await readSieInto(stream, writer, { year, onProgress: (p) => step("sie", p.vouchers, null) });
              break;
            } catch (err) {
              // Broken after the first byte: the file was ready, so asking again starts nothing over; the partial
              // rows go first.
              if (attempt >= SIE_DOWNLOAD_ATTEMPTS || !sieBrokeMidway(err)) throw err;
              await deleteImportData(db, imp.id);
              writer = await ImportWriter.create(db, imp.id);
              step("siePrepare");
            }
          }
          meta = { ...meta, ...sieMeta(sie), companyName: company.companyName, orgNr: company.organizationNumber };
        } catch (err) {
          if (!sieUnavailable(err)) throw err;
          rest = true;
          await deleteImportData(db, imp.id);
          writer = await ImportWriter.create(db, imp.id);
          const r = await readRestInto(api, fy, writer, (p) => step("sie", p.done, p.total, p.etaSeconds));
          await writeRestBalances(db, imp.id, writer, r, fy.fromDate, fy.toDate);
          meta = { ...meta, viaRest: true };
        }
        step("ledgers", ledgerProgress.done, ledgerProgress.total);
        const ledgers = await ledgersPromise;
        step("ledgers", 6, 6);
        await writeOpenItems(db, imp.id, [ledgers.customer, ledgers.supplier].flatMap((l) => (l ? openItemsOf(l) : [])));
        meta.unmatchedPayments = (ledgers.customer?.unmatchedPayments.length ?? 0) + (ledgers.supplier?.unmatchedPayments.length ?? 0);
        // A side Fortnox refused (module or permission) is not an empty ledger: the checks and schedules say why.
        if (Object.keys(ledgers.unavailable).length) meta.ledgersUnavailable = ledgers.unavailable;
        unavailable = ledgers.unavailable;
      }

      step("checks");
      await writer.attach();
      // Independent read-only aggregates: on PostgreSQL they run side by side.
      const previous = await previousYearImport(db, client.id, project.startDate);
      const [vouchersBalance, balancesAgree, opening, ledgerChecks] = await Promise.all([
        checkVouchersBalance(db, imp.id),
        // Over REST the closing balances are computed from the rows, so comparing them would prove nothing.
        rest
          ? ({ key: "balancesAgree", status: "skipped", params: { reason: "rest" } } satisfies ImportCheck)
          : checkBalancesAgree(db, imp.id, sie ? { sieType: sie.company.sieType } : {}),
        checkOpeningBalances(db, imp.id, previous),
        payload.source === "fortnox" ? checkLedgers(db, imp.id, unavailable) : Promise.resolve([]),
      ]);
      checks.push(vouchersBalance, balancesAgree, opening, ...ledgerChecks);
      if (sie && sie.warnings.length + sie.droppedWarnings > 0) {
        checks.push({ key: "fileWarnings", status: "warning", params: { count: sie.warnings.length + sie.droppedWarnings } });
      }

      step("publish");
      const counts = await countImport(db, imp.id);
      const warnings = (sie?.warnings ?? []).slice(0, WARNINGS_KEPT).map((w) => ({ code: w.code, line: w.line ?? 0, message: w.message }));
      const { diff, previousId } = await publishImport(db, { projectId: project.id, importId: imp.id, meta, counts, checks, warnings });
      if (previousId) await deleteImportData(db, previousId);
      if (payload.blobId) await deleteBlob(db, payload.blobId);
      await logActivity(db, {
        firmId: job.firmId, clientId: client.id, projectId: project.id, userId: job.createdBy, action: "import.completed", outcome: "success",
        details: { source: payload.source, fileName: payload.fileName, ...counts, newVouchers: diff.newVouchers, changedVouchers: diff.changedVouchers, removedVouchers: diff.removedVouchers },
      });
      return { importId: imp.id, ...counts };
    } catch (err) {
      const { key, params } = describeError(err);
      await failImport(db, imp.id, key);
      if (payload.blobId) await deleteBlob(db, payload.blobId).catch(() => {});
      await logActivity(db, {
        firmId: job.firmId, clientId: client.id, projectId: project.id, userId: job.createdBy, action: "import.failed", outcome: "failure",
        details: { source: payload.source, fileName: payload.fileName, error: key, ...params },
      });
      throw err;
    }
  };
}

async function countImport(db: Db, importId: string): Promise<Record<string, number>> {
  const r = await db.execute(sql`
    select
      (select count(*) from ledger_accounts where import_id = ${importId}) as accounts,
      (select count(*) from ledger_vouchers where import_id = ${importId}) as vouchers,
      (select count(*) from ledger_rows where import_id = ${importId} and kind = 0) as rows,
      (select count(*) from ledger_rows where import_id = ${importId} and kind <> 0) as corrections,
      (select count(*) from ledger_open_items where import_id = ${importId} and side = 'customer') as "customerItems",
      (select count(*) from ledger_open_items where import_id = ${importId} and side = 'supplier') as "supplierItems"`);
  const row = (Array.isArray(r) ? r[0] : (r as { rows: Record<string, unknown>[] }).rows[0]) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** REST gives IB per account; UB and RES follow from the rows, as Fortnox computes them. */
async function writeRestBalances(
  db: Db,
  importId: string,
  writer: ImportWriter,
  r: Awaited<ReturnType<typeof readRestInto>>,
  start: string,
  end: string,
) {
  await writer.writeYears([{ index: 0, start, end }]);
  await writer.writeAccounts(r.accounts.map((a) => ({ number: a.number, name: a.name, type: null, sru: a.sru, active: a.active })));
  await writer.writeBalances(r.accounts.filter((a) => a.ibOre !== 0).map((a) => ({ kind: "IB", yearIndex: 0, account: a.number, amountOre: a.ibOre, quantity: null })));
  await writer.attach();
  await db.execute(sql`
    insert into ledger_balances (import_id, kind, year_index, account, amount_ore)
    select ${importId}::uuid, case when left(account, 1) in ('1', '2') then 'UB' else 'RES' end, 0, account, sum(amount)
    from (
      select account, amount_ore as amount from ledger_balances where import_id = ${importId} and kind = 'IB' and year_index = 0
      union all select account, amount_ore from ledger_rows where import_id = ${importId} and kind = 0
    ) u group by account`);
}
