// The CLI's work, callable in-process: one SIE file → INFO.SRU and BLANKETTER.SRU in a directory, and the one JSON
// line that reports it. Books nothing: INK2R is the file's year 0 as it stands, INK2S the suggestions, no new
// periodiseringsfond, no typed amounts.
import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkOrgNr, formatOrgNr } from "@/lib/org-nr";
import { computeTax } from "./compute";
import { KNOWN_PERIODS, periodOf } from "./data/years";
import { error, type TaxProblem } from "./problems";
import { taxInputFromSieSource } from "./sie-input";
import { checkSru } from "./sru-check";
import { sruDocument, sruFieldCount, writeSru } from "./sru";

export const PROGRAM = { name: "Skatt&Bokslut", version: "0.1.0" };

export interface SruRunReport {
  file: string;
  orgNr: string | null;
  year: { start: string; end: string } | null;
  taxableResult: number | null;
  tax: number | null;
  fields: number;
  problems: TaxProblem[];
  /** Why nothing was written (exit 1). */
  error?: TaxProblem;
}

/** Swedish local date and time as the SRU files want them. */
export function stockholmStamp(now: Date): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(now).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}${parts.month}${parts.day}`, time: `${parts.hour}${parts.minute}${parts.second}` };
}

export async function runSru(file: string, outDir: string, now = new Date()): Promise<{ code: 0 | 1; report: SruRunReport }> {
  const report: SruRunReport = { file, orgNr: null, year: null, taxableResult: null, tax: null, fields: 0, problems: [] };
  const fail = (p: TaxProblem) => ({ code: 1 as const, report: { ...report, error: p } });
  let sie;
  try {
    sie = await taxInputFromSieSource(createReadStream(file));
  } catch (e) {
    return fail(error("fileUnreadable", { file, reason: (e as Error).message }));
  }
  report.problems.push(...sie.problems);
  const org = checkOrgNr(sie.company.orgNr ?? "");
  if (org.ok) report.orgNr = formatOrgNr(org.value);
  if (!sie.input) return fail(error("noYear"));
  report.year = sie.input.year;
  if (!org.ok) return fail(error("orgNrInvalid", { orgNr: sie.company.orgNr ?? "–" }));
  if (!sie.accountsWithSru) return fail(error("noSruCodes"));
  const period = periodOf(sie.input.year.end);
  if (!KNOWN_PERIODS.includes(period)) return fail(error("formVersionUnknown", { period }));

  const c = computeTax(sie.input);
  report.taxableResult = c.planning.taxableOre / 100;
  report.tax = c.planning.taxOre / 100;
  const name = sie.company.name ?? "";
  const doc = sruDocument(c, {
    orgNr: org.value, name, createdAt: stockholmStamp(now), program: PROGRAM,
    sender: { orgNr: org.value, name, address: sie.company.street ?? undefined, postalCode: sie.company.postalCode ?? "", city: sie.company.city ?? "", contact: sie.company.contact ?? undefined, phone: sie.company.phone ?? undefined },
  });
  report.problems.push(...c.problems, ...checkSru(doc));
  const files = writeSru(doc);
  try {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, "INFO.SRU"), files.info);
    await writeFile(path.join(outDir, "BLANKETTER.SRU"), files.blanketter);
  } catch (e) {
    return fail(error("outputNotWritable", { dir: outDir, reason: (e as Error).message }));
  }
  report.fields = sruFieldCount(doc);
  return { code: 0, report };
}
