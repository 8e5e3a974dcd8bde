import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import { accountType, isBalanceAccount } from "./data/chart";
import type { Company } from "./data/company";
import { sieDate } from "./data/dates";
import { voucherDescription } from "./data/describe";
import { ACCOUNT_SLOTS, ROW_ADDED, ROW_REMOVED } from "./data/ledger";

// SIE 1–4 export as Fortnox writes it: CP437 bytes, CRLF line ends, "" for row dates and texts, the user's name in
// the sign field and the day of the correction in the date field of #RTRANS/#BTRANS, #KSUMMA (CRC-32 over each record's label and field texts). Produced in chunks
// of ~64 KB so a year of a million vouchers never exists as one string.

export interface SieOptions {
  type: 1 | 2 | 3 | 4;
  yearIdx: number;
  generatedDay: number;
}

type Field = string | number | { raw: string } | { objects: [number, string][] };
const R = (raw: string): Field => ({ raw });

const CHUNK = 64 * 1024;

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function sieAmount(ore: number): string {
  const sign = ore < 0 ? "-" : "";
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

class Writer {
  private text = "";
  private crcText = "";
  crc = 0;
  private inCrc = false;
  readonly ready: Buffer[] = [];

  record(label: string, fields: Field[]): void {
    let line = label;
    let crcLine = label;
    for (const f of fields) {
      if (typeof f === "number") {
        line += ` ${f}`;
        crcLine += String(f);
      } else if (typeof f === "string") {
        line += ` ${quote(f)}`;
        crcLine += f;
      } else if ("raw" in f) {
        line += ` ${f.raw}`;
        crcLine += f.raw;
      } else {
        line += ` {${f.objects.map(([d, o]) => `${d} ${quote(o)}`).join(" ")}}`;
        for (const [d, o] of f.objects) crcLine += String(d) + o;
      }
    }
    this.text += line + "\r\n";
    if (this.inCrc) this.crcText += crcLine;
    if (this.text.length >= CHUNK) this.flush();
  }
  raw(line: string): void {
    this.text += line + "\r\n";
  }
  startCrc(): void {
    this.inCrc = true;
  }
  flush(): void {
    if (this.crcText) {
      this.crc = crc32(iconv.encode(this.crcText, "cp437"), this.crc);
      this.crcText = "";
    }
    if (this.text) {
      this.ready.push(iconv.encode(this.text, "cp437"));
      this.text = "";
    }
  }
}

const amt = (ore: number) => R(sieAmount(ore));

export function* sieChunks(co: Company, o: SieOptions): Generator<Buffer> {
  const w = new Writer();
  const year = co.years[o.yearIdx];
  const p = co.profile;
  w.raw("#FLAGGA 0");
  w.raw("#KSUMMA");
  w.startCrc();
  w.record("#PROGRAM", ["Fortnox", "3.52.1"]);
  w.record("#FORMAT", [R("PC8")]);
  w.record("#GEN", [R(`${sieDate(o.generatedDay)}`), p.user.name]);
  w.record("#SIETYP", [o.type]);
  w.record("#FNR", [R(`${p.tenantId}`)]);
  w.record("#ORGNR", [R(`${p.orgNr}`)]);
  w.record("#FNAMN", [p.name]);
  w.record("#ADRESS", [p.user.name, p.address, `${p.zipCode} ${p.city}`, ""]);
  for (let i = o.yearIdx, rar = 0; i >= 0; i--, rar--) {
    w.record("#RAR", [rar, R(`${sieDate(co.years[i].fromDay)}`), R(`${sieDate(co.years[i].toDay)}`)]);
  }
  w.record("#KPTYP", [R("BAS2014")]);
  w.record("#VALUTA", [R("SEK")]);
  for (const a of co.chart.values()) {
    w.record("#KONTO", [a.number, a.name]);
    w.record("#KTYP", [a.number, R(`${accountType(a.number)}`)]);
    if (a.sru) w.record("#SRU", [a.number, a.sru]);
  }
  if (o.type >= 3) {
    if (co.costCenters.length) {
      w.record("#DIM", [1, "Kostnadsställe"]);
      for (const [code, name] of co.costCenters) w.record("#OBJEKT", [1, code, name]);
    }
    if (co.projects.length) {
      w.record("#DIM", [6, "Projekt"]);
      for (const [code, name] of co.projects) w.record("#OBJEKT", [6, code, name]);
    }
  }
  for (let i = o.yearIdx, rar = 0; i >= 0; i--, rar--) {
    for (let acc = 1000; acc < ACCOUNT_SLOTS; acc++) {
      if (!isBalanceAccount(acc)) continue;
      const ib = co.ib(i, acc);
      const ub = co.ub(i, acc);
      if (ib !== 0 || ub !== 0) {
        w.record("#IB", [rar, acc, amt(ib)]);
        w.record("#UB", [rar, acc, amt(ub)]);
      }
    }
    for (let acc = 3000; acc < ACCOUNT_SLOTS; acc++) {
      const res = co.years[i].movement[acc];
      if (res !== 0) w.record("#RES", [rar, acc, amt(res)]);
    }
  }
  yield* w.ready.splice(0);
  if (o.type >= 2) {
    for (let m = 0; m < 12; m++) {
      const d = new Date(Date.UTC(year.fromYear, year.fromMonth - 1 + m, 1));
      const per = R(`${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
      for (let acc = 1000; acc < ACCOUNT_SLOTS; acc++) {
        const mv = year.periodMovement[m * ACCOUNT_SLOTS + acc];
        if (mv !== 0) w.record("#PSALDO", [0, per, acc, { objects: [] }, amt(mv)]);
      }
    }
  }
  if (o.type === 4) {
    const sign = p.user.name;
    const vc = year.v.c;
    const rc = year.r.c;
    for (let s = 0; s < co.series.length; s++) {
      const code = R(`${co.series[s].code}`);
      for (const v of year.bySeries[s]) {
        const date = R(`${sieDate(vc.date[v])}`);
        w.record("#VER", [code, vc.number[v], date, voucherDescription(co, year, v), date]);
        w.raw("{");
        const end = vc.rowStart[v] + vc.rowCount[v];
        for (let r = vc.rowStart[v]; r < end; r++) {
          const objects: [number, string][] = [];
          if (rc.costCenter[r]) objects.push([1, co.costCenters[rc.costCenter[r] - 1][0]]);
          if (rc.project[r]) objects.push([6, co.projects[rc.project[r] - 1][0]]);
          const fields: Field[] = [rc.account[r], { objects }, amt(rc.amount[r]), "", year.texts[rc.text[r]], 0];
          // A correction carries the day it was made, some days after the voucher; its #TRANS twin the voucher's ("").
          const corrected = (): Field[] => [rc.account[r], { objects }, amt(rc.amount[r]), R(sieDate(vc.date[v] + 1 + (v % 20))), year.texts[rc.text[r]], 0, sign];
          if (rc.flags[r] & ROW_REMOVED) w.record("#BTRANS", corrected());
          else if (rc.flags[r] & ROW_ADDED) {
            w.record("#RTRANS", corrected());
            w.record("#TRANS", fields);
          } else w.record("#TRANS", fields);
        }
        w.raw("}");
        if (w.ready.length) yield* w.ready.splice(0);
      }
    }
  }
  w.flush();
  yield* w.ready.splice(0);
  yield iconv.encode(`#KSUMMA ${w.crc >>> 0}\r\n`, "cp437");
}
