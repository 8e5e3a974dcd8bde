// SIE 4E/4I writer: CP437 bytes, #FORMAT PC8, #KSUMMA over exactly what the reader checks.
import { CRC_INIT, crcFinal, crcUpdate, encodeCp437, formatAmount, sieDate } from "./bytes";
import type { SieAccount, SieCompany, SieYear } from "./checks";
import { isTwin } from "./twin-rows";
import type { SieDimension, SieObject, SieObjectBalance, SiePeriodBalance, YearMap } from "./stream";
import type { SieCorrection, SieObjectRef, SieRow, SieVoucherHead } from "./types";

export interface SieWriteInput {
  company: Partial<Pick<SieCompany, "name" | "orgNr" | "fnr" | "program" | "generated" | "info">>;
  years?: SieYear[];
  accounts?: Pick<SieAccount, "number" | "name" | "type" | "sru" | "unit">[];
  dimensions?: SieDimension[];
  objects?: SieObject[];
  balances?: { ib?: YearMap; ub?: YearMap; res?: YearMap };
  objectBalances?: SieObjectBalance[];
  periods?: SiePeriodBalance[];
  vouchers?: SieWriteVoucher[];
}

/** A voucher to write; line numbers are not needed. */
export interface SieWriteVoucher extends Omit<SieVoucherHead, "line"> {
  rows: Omit<SieRow, "line">[];
  corrections: Omit<SieCorrection, "line">[];
}

export interface SieWriteOptions {
  /** 4E: full export with balances; 4I: vouchers for import (balances are left out). */
  type: "4E" | "4I";
  /** Default true. */
  ksumma?: boolean;
}

/** A field: plain text (quoted when needed), always-quoted text, or an object list. */
type Field = { raw: string } | { text: string } | { objects: readonly SieObjectRef[] };

const SAFE = /^[0-9A-Za-z_.:+\-/]+$/;
// Control characters cannot live inside a SIE line.
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, " ");
const quote = (s: string) => `"${clean(s).replace(/"/g, '\\"')}"`;
const id = (s: string): Field => (SAFE.test(s) ? { raw: s } : { text: s });
const text = (s: string): Field => ({ text: s });
const raw = (s: string): Field => ({ raw: s });

function fieldSource(f: Field): string {
  if ("raw" in f) return f.raw;
  if ("text" in f) return quote(f.text);
  return `{${f.objects.map((o) => `${idSource(o.dim)} ${quote(o.object)}`).join(" ")}}`;
}
function idSource(s: string): string {
  return SAFE.test(s) ? s : quote(s);
}
/** The characters the checksum covers: field texts without quotes, braces or separators. */
function fieldCrcText(f: Field): string {
  if ("raw" in f) return f.raw;
  if ("text" in f) return clean(f.text);
  return f.objects.map((o) => clean(o.dim) + clean(o.object)).join("");
}

class LineWriter {
  private parts: Buffer[] = [];
  private crc = CRC_INIT;
  private summing = false;
  record(label: string, fields: Field[], indent = ""): void {
    const line = `${indent}#${label}${fields.map((f) => " " + fieldSource(f)).join("")}\r\n`;
    this.parts.push(encodeCp437(line));
    if (this.summing) {
      const bytes = encodeCp437(`#${label}${fields.map(fieldCrcText).join("")}`);
      this.crc = crcUpdate(this.crc, bytes, 0, bytes.length);
    }
  }
  plain(line: string): void {
    this.parts.push(encodeCp437(line + "\r\n"));
  }
  openKsumma(): void {
    this.plain("#KSUMMA");
    this.summing = true;
    this.crc = CRC_INIT;
  }
  closeKsumma(): void {
    this.summing = false;
    this.plain(`#KSUMMA ${crcFinal(this.crc)}`);
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function formatQuantity(q: number): string {
  if (Number.isInteger(q)) return String(q);
  return q.toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
}

function rowFields(r: Omit<SieRow, "line">): Field[] {
  const f: Field[] = [id(r.account), { objects: r.objects }, raw(formatAmount(r.amount)), r.date ? raw(sieDate(r.date)) : text(""), text(r.text)];
  if (r.quantity !== null || r.sign) f.push(r.quantity === null ? text("") : raw(formatQuantity(r.quantity)));
  if (r.sign) f.push(text(r.sign));
  return f;
}

function sortedEntries<T>(o: Record<string, T> | undefined): [string, T][] {
  return Object.entries(o ?? {}).sort((a, b) => Number(b[0]) - Number(a[0]) || (a[0] < b[0] ? -1 : 1));
}

/** Serialises a ledger (or any subset) to SIE 4 in CP437. Characters CP437 lacks become `?`. */
export function writeSie(input: SieWriteInput, opts: SieWriteOptions): Buffer {
  const w = new LineWriter();
  const c = input.company;
  w.record("FLAGGA", [raw("0")]);
  if (opts.ksumma !== false) w.openKsumma();
  w.record("PROGRAM", [text(c.program?.name ?? "Skatt & Bokslut"), text(c.program?.version ?? "1.0")]);
  w.record("FORMAT", [raw("PC8")]);
  const gen = c.generated ?? { date: new Date().toISOString().slice(0, 10), sign: "" };
  w.record("GEN", gen.sign ? [raw(sieDate(gen.date)), text(gen.sign)] : [raw(sieDate(gen.date))]);
  w.record("SIETYP", [raw("4")]);
  if (c.fnr != null) w.record("FNR", [text(c.fnr)]);
  if (c.orgNr != null) w.record("ORGNR", [text(c.orgNr)]);
  if (c.name != null) w.record("FNAMN", [text(c.name)]);
  for (const [label, values] of Object.entries(c.info ?? {})) w.record(label, (values ?? []).map(text));
  for (const y of input.years ?? []) w.record("RAR", [raw(String(y.index)), text(sieDate(y.start)), text(sieDate(y.end))]);
  for (const d of input.dimensions ?? []) {
    if (d.parent === null) w.record("DIM", [id(d.dim), text(d.name)]);
    else w.record("UNDERDIM", [id(d.dim), text(d.name), id(d.parent)]);
  }
  for (const o of input.objects ?? []) w.record("OBJEKT", [id(o.dim), text(o.object), text(o.name)]);
  for (const a of input.accounts ?? []) {
    w.record("KONTO", [id(a.number), text(a.name)]);
    if (a.type) w.record("KTYP", [id(a.number), raw(a.type)]);
    if (a.unit != null) w.record("ENHET", [id(a.number), text(a.unit)]);
    for (const s of a.sru ?? []) w.record("SRU", [id(a.number), id(s)]);
  }
  if (opts.type === "4E") {
    const b = input.balances ?? {};
    for (const [label, map] of [["IB", b.ib], ["UB", b.ub]] as const)
      for (const [year, accounts] of sortedEntries(map))
        for (const [account, amount] of sortedEntries(accounts)) w.record(label, [raw(year), id(account), raw(formatAmount(amount))]);
    for (const o of input.objectBalances ?? []) {
      const f: Field[] = [raw(String(o.year)), id(o.account), { objects: o.objects }, raw(formatAmount(o.amount))];
      if (o.quantity !== null) f.push(raw(formatQuantity(o.quantity)));
      w.record(o.type, f);
    }
    for (const [year, accounts] of sortedEntries(b.res))
      for (const [account, amount] of sortedEntries(accounts)) w.record("RES", [raw(year), id(account), raw(formatAmount(amount))]);
    for (const p of input.periods ?? []) {
      const f: Field[] = [raw(String(p.year)), id(p.period), id(p.account), { objects: p.objects }, raw(formatAmount(p.amount))];
      if (p.quantity !== null) f.push(raw(formatQuantity(p.quantity)));
      w.record(p.type, f);
    }
  }
  for (const v of input.vouchers ?? []) writeVoucher(w, v);
  if (opts.ksumma !== false) w.closeKsumma();
  return w.bytes();
}

function writeVoucher(w: LineWriter, v: SieWriteVoucher): void {
  const head: Field[] = [id(v.series), id(v.number), v.date ? raw(sieDate(v.date)) : text(""), text(v.text)];
  if (v.regDate || v.sign) head.push(v.regDate ? raw(sieDate(v.regDate)) : text(""));
  if (v.sign) head.push(text(v.sign));
  w.record("VER", head);
  w.plain("{");
  // Each added row (#RTRANS) is written right before its #TRANS twin, as the format requires.
  const added = v.corrections.filter((c) => c.kind === "added");
  const used = new Set<number>();
  for (const r of v.rows) {
    const i = added.findIndex((a, k) => !used.has(k) && isTwin(a, r));
    if (i >= 0) { used.add(i); w.record("RTRANS", rowFields(added[i]), "\t"); }
    w.record("TRANS", rowFields(r), "\t");
  }
  added.forEach((a, k) => { if (!used.has(k)) w.record("RTRANS", rowFields(a), "\t"); });
  for (const c of v.corrections) if (c.kind === "removed") w.record("BTRANS", rowFields(c), "\t");
  w.plain("}");
}
