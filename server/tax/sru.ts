// The SRU file pair for Skatteverket's e-service Filöverföring (Skatteverket, "Teknisk information om
// filöverföring", formerly brochure SKV 269): INFO.SRU describes the delivery and the sender, BLANKETTER.SRU holds
// one block per form (INK2, INK2R, INK2S). ISO-8859-1 text, one record a line (`#POST value …`); we end lines with
// CR LF (CR LF, CR and LF are all accepted). Amounts in whole kronor, fields that are zero left out.
import iconv from "iconv-lite";
import { normalizeOrgNr } from "@/lib/org-nr";
import { INK2 } from "./data/forms";
import type { TaxComputation } from "./types";

export type SruForm = "INK2" | "INK2R" | "INK2S";

export interface SruSender {
  /** The sender's (uppgiftslämnare's) organisation or personal number, 10 or 12 digits. */
  orgNr: string;
  name: string;
  address?: string;
  postalCode: string;
  city: string;
  department?: string;
  contact?: string;
  email?: string;
  phone?: string;
  fax?: string;
}

export interface SruMeta {
  /** The company the return is for. */
  orgNr: string;
  name: string;
  /** When the files were made, Swedish time: YYYYMMDD and HHMMSS. */
  createdAt: { date: string; time: string };
  program: { name: string; version: string };
  /** Who delivers the files; the company itself when absent (its address then has to be given here). */
  sender: SruSender;
}

export interface SruBlock {
  form: SruForm;
  /** e.g. INK2R-2025P4 */
  blankett: string;
  fields: { code: string; value: string }[];
}

export interface SruDocument {
  orgNr: string;
  name: string;
  createdAt: { date: string; time: string };
  program: { name: string; version: string };
  sender: SruSender;
  period: string;
  blocks: SruBlock[];
}

/** 12 digits: a 10-digit organisation number gets the prefix 16 that Skatteverket uses for legal persons. */
export function sruOrgNr(orgNr: string): string {
  const d = normalizeOrgNr(orgNr);
  return d.length === 10 ? `16${d}` : d;
}

/** The three blocks of an aktiebolag's return from a computation: non-zero fields in form order. */
export function sruDocument(c: TaxComputation, meta: SruMeta): SruDocument {
  const dates = [
    { code: INK2.yearStart, value: c.year.start.replaceAll("-", "") },
    { code: INK2.yearEnd, value: c.year.end.replaceAll("-", "") },
  ];
  const amounts = (fields: { code: string; kronor: number }[]) =>
    fields.filter((f) => f.kronor !== 0).map((f) => ({ code: f.code, value: String(f.kronor) }));
  const block = (form: SruForm, fields: { code: string; value: string }[]): SruBlock => ({ form, blankett: `${form}-${c.year.period}`, fields: [...dates, ...fields] });
  return {
    orgNr: sruOrgNr(meta.orgNr), name: meta.name, createdAt: meta.createdAt, program: meta.program,
    sender: { ...meta.sender, orgNr: sruOrgNr(meta.sender.orgNr) }, period: c.year.period,
    blocks: [block("INK2", amounts(c.ink2)), block("INK2R", amounts(c.ink2r)), block("INK2S", amounts(c.ink2s))],
  };
}

/** Text as a field value may carry it: one line, no '#' (it starts a record), at most 250 characters. */
export function sruText(s: string): string {
  return s.replace(/[#\r\n\t]+/g, " ").replace(/ {2,}/g, " ").trim().slice(0, 250);
}

const postalCode = (s: string) => s.replace(/\s/g, "");

function encode(lines: string[]): Uint8Array {
  return new Uint8Array(iconv.encode(lines.map((l) => `${l}\r\n`).join(""), "latin1"));
}

export function writeSru(doc: SruDocument): { info: Uint8Array; blanketter: Uint8Array } {
  const s = doc.sender;
  const opt = (label: string, v: string | undefined) => (v && sruText(v) ? [`#${label} ${sruText(v)}`] : []);
  const info = [
    "#DATABESKRIVNING_START",
    "#PRODUKT SRU",
    `#SKAPAD ${doc.createdAt.date} ${doc.createdAt.time}`,
    `#PROGRAM ${sruText(`${doc.program.name} ${doc.program.version}`)}`,
    "#FILNAMN BLANKETTER.SRU",
    "#DATABESKRIVNING_SLUT",
    "#MEDIELEV_START",
    `#ORGNR ${s.orgNr}`,
    `#NAMN ${sruText(s.name)}`,
    ...opt("ADRESS", s.address),
    `#POSTNR ${postalCode(s.postalCode)}`,
    `#POSTORT ${sruText(s.city)}`,
    ...opt("AVDELNING", s.department),
    ...opt("KONTAKT", s.contact),
    ...opt("EMAIL", s.email),
    ...opt("TELEFON", s.phone),
    ...opt("FAX", s.fax),
    "#MEDIELEV_SLUT",
  ];
  const blanketter: string[] = [];
  for (const b of doc.blocks) {
    blanketter.push(`#BLANKETT ${b.blankett}`, `#IDENTITET ${doc.orgNr} ${doc.createdAt.date} ${doc.createdAt.time}`, `#NAMN ${sruText(doc.name)}`);
    for (const f of b.fields) blanketter.push(`#UPPGIFT ${f.code} ${f.value}`);
    blanketter.push("#BLANKETTSLUT");
  }
  blanketter.push("#FIL_SLUT");
  return { info: encode(info), blanketter: encode(blanketter) };
}

/** Number of #UPPGIFT records the document writes. */
export const sruFieldCount = (doc: SruDocument) => doc.blocks.reduce((n, b) => n + b.fields.length, 0);
