// The tokenizer of the SIE reader: one line's bytes → fields (with flags for quotes, braces, high bytes), the
// Swedish-letter counts that detect the encoding, and the labels (#VER, #TRANS …) as small ids.

import type { SieEncoding } from "./types";
import type { SieWarningCode } from "./warnings";

export const MAX_FIELDS = 64;
/** Field flags: quoted, contains `\"`, an object list, contains a byte ≥ 0x80 (needs the line's code page). */
export const F_QUOTED = 1, F_ESC = 2, F_BRACES = 4, F_HIGH = 8;
export const ENC_ASCII = 0, ENC_UTF8 = 1, ENC_CP437 = 2, ENC_LATIN1 = 3;
export const ENC_NAMES: SieEncoding[] = ["utf-8", "utf-8", "cp437", "latin1"];

export class Tokens {
  s = new Int32Array(MAX_FIELDS);
  e = new Int32Array(MAX_FIELDS);
  f = new Uint8Array(MAX_FIELDS);
  n = 0;
  /** Offset of the line's first byte ≥ 0x80, or -1 for an ASCII line (no encoding detection needed). */
  firstHigh = -1;
  /** Bytes of åäöÅÄÖ on the line as CP437 and as Latin-1 would write them (for encoding detection). */
  cpLetters = 0;
  laLetters = 0;
  problem: SieWarningCode | null = null;
}

// The bytes of åäöÅÄÖ in CP437 and in Latin-1 (docs/sie.md, "Encodings").
export const CP437_LETTER = new Uint8Array(256);
export const LATIN1_LETTER = new Uint8Array(256);
for (const b of [0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99]) CP437_LETTER[b] = 1;
for (const b of [0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6]) LATIN1_LETTER[b] = 1;

export function hasQuoteAfter(buf: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (buf[i] === 34) return true;
  return false;
}

/**
 * Splits buf[s,e) into fields. Quoted fields exclude their quotes; brace fields exclude their braces. Since it
 * touches every byte anyway, it also notes high bytes (per field and first on the line) and counts Swedish
 * letters, so encoding detection needs no pass of its own.
 */
export function tokenize(buf: Uint8Array, s: number, e: number, t: Tokens, braces: boolean): void {
  let n = 0, i = s, firstHigh = -1, cp = 0, la = 0;
  t.problem = null;
  while (i < e) {
    let c = buf[i];
    if (c === 32 || c === 9) { i++; continue; }
    let fs: number, fe: number, fl = 0;
    let high = false;
    if (c === 34) {
      fl = F_QUOTED;
      fs = i + 1;
      let j = fs;
      for (; j < e; j++) {
        const b = buf[j];
        if (b === 34) break;
        if (b >= 0x80) {
          high = true;
          if (firstHigh < 0) firstHigh = j;
          cp += CP437_LETTER[b]; la += LATIN1_LETTER[b];
        } else if (b === 92 && j + 1 < e && buf[j + 1] === 34) {
          // `\"` escapes a quote unless no quote follows on the line: then it is a literal backslash
          // before the closing quote (`#FNR "C:\dir\"`).
          if (hasQuoteAfter(buf, j + 2, e)) { fl |= F_ESC; j++; }
        }
      }
      if (j >= e) t.problem = "unterminated_quote";
      fe = j;
      i = j + 1;
    } else if (c === 123 && braces) {
      fl = F_BRACES;
      fs = i + 1;
      let j = fs, inQ = false;
      for (; j < e; j++) {
        const b = buf[j];
        if (b >= 0x80) {
          high = true;
          if (firstHigh < 0) firstHigh = j;
          cp += CP437_LETTER[b]; la += LATIN1_LETTER[b];
        } else if (inQ) {
          if (b === 92 && j + 1 < e && buf[j + 1] === 34) j++;
          else if (b === 34) inQ = false;
        } else if (b === 34) inQ = true;
        else if (b === 125) break;
      }
      if (j >= e) t.problem = "unterminated_braces";
      fe = j;
      i = j + 1;
    } else {
      fs = i;
      for (; i < e && (c = buf[i]) !== 32 && c !== 9; i++) {
        if (c >= 0x80) {
          high = true;
          if (firstHigh < 0) firstHigh = i;
          cp += CP437_LETTER[c]; la += LATIN1_LETTER[c];
        }
      }
      fe = i;
    }
    if (n < MAX_FIELDS) { t.s[n] = fs; t.e[n] = fe; t.f[n] = high ? fl | F_HIGH : fl; n++; }
    else t.problem = "too_many_fields";
  }
  t.n = n;
  t.firstHigh = firstHigh;
  t.cpLetters = cp;
  t.laLetters = la;
}

/** 32-bit FNV-1a hash of buf[s,e). */
export function fnv1a(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h;
}

export function sameBytes(a: Uint8Array, buf: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}

// Labels: a numeric key of up to 10 letters (5 bits each) → small id.
export const LABELS = [
  "FLAGGA", "PROGRAM", "FORMAT", "GEN", "SIETYP", "FNR", "FNAMN", "ORGNR", "ADRESS", "BKOD", "FTYP", "TAXAR",
  "OMFATTN", "KPTYP", "VALUTA", "PROSA", "RAR", "KONTO", "KTYP", "ENHET", "SRU", "DIM", "UNDERDIM", "OBJEKT",
  "IB", "UB", "OIB", "OUB", "RES", "PSALDO", "PBUDGET", "VER", "TRANS", "RTRANS", "BTRANS", "KSUMMA",
] as const;
export type Label = (typeof LABELS)[number];
export const L = Object.fromEntries(LABELS.map((l, i) => [l, i])) as Record<Label, number>;
export function labelKeyOfText(text: string): number {
  let k = 0;
  for (let i = 0; i < text.length; i++) k = k * 32 + ((text.charCodeAt(i) & 0xdf) - 64);
  return k;
}
export const LABEL_IDS = new Map<number, number>(LABELS.map((l, i) => [labelKeyOfText(l), i]));
export const INFO_LABELS = new Set<number>(
  (["FNR", "FNAMN", "ORGNR", "ADRESS", "BKOD", "FTYP", "TAXAR", "OMFATTN", "KPTYP", "VALUTA", "PROSA"] as const).map(
    (l) => L[l],
  ),
);
