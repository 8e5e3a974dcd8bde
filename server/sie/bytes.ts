// Byte-level helpers shared by the reader and the writer: CRC-32, CP437 tables,
// amount and date parsing straight from bytes (or strings) into integers.
import iconv from "iconv-lite";

// ---- CRC-32 (zlib polynomial), incremental, table-driven so it can run inline in the tokenizer.
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Running state is the *inverted* CRC; start with CRC_INIT, finish with crcFinal. */
export const CRC_INIT = -1;
export function crcUpdate(state: number, buf: Uint8Array, start: number, end: number): number {
  let c = state;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return c;
}
export function crcByte(state: number, b: number): number {
  return CRC_TABLE[(state ^ b) & 0xff] ^ (state >>> 8);
}
export function crcFinal(state: number): number {
  return (state ^ -1) >>> 0;
}

// ---- Code pages
// Fields decode through per-code-page tables (built once from iconv-lite) rather than calling iconv per field,
// which was the reader's biggest cost. Short fields are concatenated from one-character strings (V8 keeps strings
// under 13 characters flat). Longer ones are mapped into a scratch buffer and turned into a string natively: as
// Latin-1 when every character fits (Swedish letters do, giving compact one-byte strings), else as UTF-16.
const SHORT = 12;
interface CodePage { codes: Uint16Array; chars: string[] }
function codePage(encoding: string): CodePage {
  const text = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), encoding);
  return { codes: Uint16Array.from({ length: 256 }, (_, i) => text.charCodeAt(i)), chars: [...text] };
}
const CP437 = codePage("cp437");
// Windows-1252 is what "Latin-1" files from Windows programs really are (a superset for printable text).
const WIN1252 = codePage("win1252");
const ASCII_CHARS = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
const SCRATCH = 4096;
const scratch8 = Buffer.alloc(SCRATCH);
const scratch16 = Buffer.alloc(2 * SCRATCH);

function decodeShort(buf: Uint8Array, start: number, end: number, chars: string[]): string {
  let out = "";
  for (let i = start; i < end; i++) out += chars[buf[i]];
  return out;
}

function decodeTable(buf: Uint8Array, start: number, end: number, page: CodePage): string {
  const n = end - start;
  if (n <= SHORT) return decodeShort(buf, start, end, page.chars);
  const codes = page.codes;
  if (n <= SCRATCH) {
    let i = 0;
    for (; i < n; i++) {
      const c = codes[buf[start + i]];
      if (c > 0xff) break;
      scratch8[i] = c;
    }
    if (i === n) return scratch8.toString("latin1", 0, n);
  }
  let out = "";
  for (let s = start; s < end; s += SCRATCH) {
    const e = Math.min(end, s + SCRATCH);
    for (let i = s, o = 0; i < e; i++, o += 2) {
      const c = codes[buf[i]];
      scratch16[o] = c & 0xff;
      scratch16[o + 1] = c >>> 8;
    }
    out += scratch16.toString("utf16le", 0, 2 * (e - s));
  }
  return out;
}

/** Bytes below 0x80 only (the caller knows): the same text in every supported encoding. */
export function decodeAscii(buf: Buffer, start: number, end: number): string {
  return end - start <= SHORT ? decodeShort(buf, start, end, ASCII_CHARS) : buf.toString("latin1", start, end);
}
export function encodeCp437(text: string): Buffer {
  return iconv.encode(text, "cp437");
}
export function decodeCp437(buf: Uint8Array, start: number, end: number): string {
  return decodeTable(buf, start, end, CP437);
}
export function decodeLatin1(buf: Uint8Array, start: number, end: number): string {
  return decodeTable(buf, start, end, WIN1252);
}

/**
 * Strict UTF-8 check of buf[start, end) — no overlong forms, surrogates or code points above U+10FFFF — without
 * creating a Buffer view per line as `isUtf8(buf.subarray(…))` would.
 */
export function isStrictUtf8(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) { i++; continue; }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= end) return false;
    const b1 = buf[i + 1];
    // The second byte's range is narrower after E0, ED, F0 and F4 (overlongs, surrogates, > U+10FFFF).
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return false;
    for (let k = 2; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}
/** Characters CP437 can represent; used by the writer to refuse silent data loss. */
export function isCp437Encodable(text: string): boolean {
  return iconv.decode(iconv.encode(text, "cp437"), "cp437") === text;
}

// ---- Amounts: text → integer öre, never via floating point.
export const AMOUNT_COMMA = 1; // a ',' decimal separator was used
export const AMOUNT_ROUNDED = 2; // more than two decimals were rounded
/** Flags from the last parseAmount call (module state keeps the hot path allocation-free). */
export let amountFlags = 0;
const MAX_WHOLE = Math.floor(Number.MAX_SAFE_INTEGER / 100);

/** Parses `-123.45`, `5`, `-0.00`, `1,5` to öre; NaN when the text is not an amount. Rounds half away from zero. */
export function parseAmountBytes(buf: Uint8Array, start: number, end: number): number {
  amountFlags = 0;
  let i = start;
  if (i >= end) return NaN;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45 /* - */) { neg = true; i++; }
  else if (c0 === 43 /* + */) i++;
  let whole = 0, digits = 0;
  while (i < end) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    if (whole > MAX_WHOLE) return NaN;
    digits++; i++;
  }
  let frac = 0, fracDigits = 0, roundUp = false;
  if (i < end) {
    const sep = buf[i];
    if (sep === 44 /* , */) amountFlags |= AMOUNT_COMMA;
    else if (sep !== 46 /* . */) return NaN;
    i++;
    while (i < end) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) return NaN;
      if (fracDigits < 2) frac = frac * 10 + d;
      else if (fracDigits === 2) { roundUp = d >= 5; amountFlags |= AMOUNT_ROUNDED; }
      fracDigits++; i++;
    }
    if (digits === 0 && fracDigits === 0) return NaN;
  } else if (digits === 0) return NaN;
  if (fracDigits === 1) frac *= 10;
  const ore = whole * 100 + frac + (roundUp ? 1 : 0);
  if (ore > Number.MAX_SAFE_INTEGER) return NaN;
  if (ore === 0) return 0; // -0.00 is zero, never -0
  return neg ? -ore : ore;
}

const scratch = Buffer.alloc(64);
/** String variant for records decoded as text. */
export function parseAmountText(text: string): number {
  if (text.length > 64) { amountFlags = 0; return NaN; }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) { amountFlags = 0; return NaN; }
    scratch[i] = c;
  }
  return parseAmountBytes(scratch, 0, text.length);
}

/** öre → `-1234.50` (always two decimals, `.` separator). */
export function formatAmount(ore: number): string {
  const neg = ore < 0;
  const abs = Math.abs(ore);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return (neg ? "-" : "") + whole + "." + (frac < 10 ? "0" : "") + frac;
}

// ---- Dates
/** YYYYMMDD → integer (validated), 0 when empty, -1 when invalid. Accepts YYYY-MM-DD too (flagged in dateDashed). */
export let dateDashed = false;
export function parseDateBytes(buf: Uint8Array, start: number, end: number): number {
  dateDashed = false;
  const len = end - start;
  if (len === 0) return 0;
  let v = 0, n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d >= 0 && d <= 9) { v = v * 10 + d; n++; }
    else if (buf[i] === 45 && len === 10) dateDashed = true;
    else return -1;
  }
  if (n !== 8) return -1;
  return validDate(v) ? v : -1;
}
export function parseDateText(text: string): number {
  if (text.length > 64) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return -1;
    scratch[i] = c;
  }
  return parseDateBytes(scratch, 0, text.length);
}
const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function validDate(v: number): boolean {
  const y = Math.floor(v / 10000), m = Math.floor(v / 100) % 100, d = v % 100;
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > DAYS[m]) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}
const dateCache = new Map<number, string>();
let lastDate = 0, lastIso = "";
/** Interned `YYYY-MM-DD` string for a validated YYYYMMDD integer (few distinct dates per file). */
export function isoDate(v: number): string {
  if (v === lastDate) return lastIso; // rows and registration dates often repeat the previous date
  let s = dateCache.get(v);
  if (s === undefined) {
    const t = String(v);
    s = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
    if (dateCache.size < 100_000) dateCache.set(v, s);
  }
  lastDate = v;
  lastIso = s;
  return s;
}
/** `YYYY-MM-DD` → `YYYYMMDD` for writing. */
export function sieDate(iso: string | null): string {
  return iso ? iso.replace(/-/g, "") : "";
}
