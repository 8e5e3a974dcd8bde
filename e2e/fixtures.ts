import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateCompany } from "../server/sandbox/data/generator";
import { DEFAULT_TENANTS, profileOf } from "../server/sandbox/data/tenants";
import { sieChunks } from "../server/sandbox/sie";

/** A SIE 4 file of a sandbox demo company (CP437, KSUMMA), as Fortnox would export it, written to a temp file. */
export function demoSieFile(opts: { year: number; vouchers?: number } = { year: new Date().getUTCFullYear() - 1 }): { path: string; orgNr: string; name: string } {
  const tenant = DEFAULT_TENANTS[0];
  const co = generateCompany({ profile: profileOf(tenant), vouchers: opts.vouchers ?? 300, currentYear: opts.year + 1, firstYearId: tenant.firstYearId });
  const file = path.join(tmpdir(), `demo-${opts.year}-${process.pid}-${Date.now()}.se`);
  writeFileSync(file, Buffer.concat([...sieChunks(co, { type: 4, yearIdx: 0, generatedDay: Math.floor(Date.now() / 86_400_000) })]));
  return { path: file, orgNr: tenant.orgNr, name: tenant.name };
}
