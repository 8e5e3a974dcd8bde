// The streaming core: bytes in (any chunking) → lines → tokens → typed records and voucher events.
// Works on raw bytes: the separators SIE uses (space, tab, quote, braces, backslash) are ASCII, and ASCII
// bytes never occur inside a UTF-8 multibyte sequence, so tokenising before decoding is safe for all
// three encodings. Strings are only created for fields a consumer needs; lean mode skips row texts.
// Long (~620 lines) because SieReader is one state machine whose field readers share the line's buffer, token
// table and caches in the per-line hot loop (bench/sie.ts); the tokenizer is in tokens.ts, #RTRANS twins in
// twin-rows.ts.
import {
  AMOUNT_COMMA, AMOUNT_ROUNDED, CRC_INIT, amountFlags, crcByte, crcFinal, crcUpdate, dateDashed,
  decodeAscii, decodeCp437, decodeLatin1, encodeCp437, isStrictUtf8, isoDate, parseAmountBytes, parseDateBytes,
} from "./bytes";
import type {
  AccountType, InfoLabel, KsummaResult, ReaderResult, SieEncoding, SieObjectRef, SieRecord, SieRow, SieSink,
  SieVoucherHead,
} from "./types";
import { ENC_ASCII, ENC_CP437, ENC_LATIN1, ENC_NAMES, ENC_UTF8, F_BRACES, F_ESC, F_HIGH, F_QUOTED, INFO_LABELS, L, LABELS, LABEL_IDS, Tokens, fnv1a, sameBytes, tokenize } from "./tokens";
import { isTwin } from "./twin-rows";
import { SieError, WARNING_CODES, type SieWarning, type SieWarningCode } from "./warnings";

export interface ReaderOptions {
  /** First problem throws a SieError instead of becoming a warning. */
  strict?: boolean;
  /** Skip objects/text/quantity/sign of #TRANS rows and reuse the row object (aggregating consumers). */
  lean?: boolean;
  onWarning?: (w: SieWarning) => void;
  /** Lines longer than this are skipped with a warning (protects memory on binary input). */
  maxLineBytes?: number;
}

export const EMPTY_OBJECTS: readonly SieObjectRef[] = Object.freeze([]);

export class SieReader {
  private readonly strict: boolean;
  private readonly lean: boolean;
  private readonly onWarning: (w: SieWarning) => void;
  private readonly maxLine: number;
  private readonly t = new Tokens();
  private readonly sub = new Tokens();

  // line assembly across chunks
  private carry: Buffer[] = [];
  private carryLen = 0;
  private skipping = false;
  private started = false;
  private lineNo = 0;
  private bytes = 0;

  // current line
  private buf: Buffer = Buffer.alloc(0);
  private lineEnd = 0;
  private enc = ENC_ASCII;
  private encLines = [0, 0, 0, 0];
  private encFirstLine = [0, 0, 0, 0];
  /** Bytes of Swedish letters in the lines that are not UTF-8, as CP437 and as Latin-1 (docs/sie.md's rule). */
  private cpLetters = 0;
  private laLetters = 0;
  private records = 0;
  private declaredFormat: string | null = null;

  // KSUMMA
  private ksummaState: 0 | 1 | 2 = 0; // none, open, closed
  private crc = CRC_INIT;
  private ksumma: KsummaResult = "absent";

  // vouchers: 0 outside, 1 after #VER waiting for "{", 2 inside the block
  private vstate = 0;
  private voucherDate: string | null = null;
  private pendingR: SieRow | null = null;
  private readonly leanRow: SieRow = { account: "", objects: EMPTY_OBJECTS, amount: 0, date: null, text: "", quantity: null, sign: "", line: 0 };

  private readonly accountCache = new Map<number, string>();
  private readonly objectListCache = new Map<number, { bytes: Uint8Array; enc: number; list: readonly SieObjectRef[] }>();

  constructor(private readonly sink: SieSink, opts: ReaderOptions = {}) {
    this.strict = !!opts.strict;
    this.lean = !!opts.lean;
    this.onWarning = opts.onWarning ?? (() => {});
    this.maxLine = opts.maxLineBytes ?? 1 << 20;
  }

  // ---------- input
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carryLen > 0 || this.skipping) {
      const lf = buf.indexOf(10);
      if (lf < 0) { this.keep(buf, 0); return; }
      if (this.skipping) { this.skipping = false; this.lineNo++; }
      else {
        this.carry.push(buf.subarray(0, lf));
        const line = Buffer.concat(this.carry, this.carryLen + lf);
        this.carry = []; this.carryLen = 0;
        this.line(line, 0, line.length);
      }
      pos = lf + 1;
    }
    for (;;) {
      const lf = buf.indexOf(10, pos);
      if (lf < 0) break;
      this.line(buf, pos, lf);
      pos = lf + 1;
    }
    if (pos < buf.length) this.keep(buf, pos);
  }

  private keep(buf: Buffer, from: number): void {
    if (this.skipping) return;
    const part = Buffer.from(buf.subarray(from)); // copy: producers may reuse their chunk
    this.carry.push(part);
    this.carryLen += part.length;
    if (this.carryLen > this.maxLine) {
      this.carry = []; this.carryLen = 0; this.skipping = true;
      this.warn(this.lineNo + 1, "line_too_long", `${WARNING_CODES.line_too_long} (${this.maxLine} bytes)`);
    }
  }

  end(): ReaderResult {
    if (this.skipping) { this.lineNo++; this.skipping = false; }
    if (this.carryLen > 0) {
      const line = Buffer.concat(this.carry, this.carryLen);
      this.carry = []; this.carryLen = 0;
      this.line(line, 0, line.length);
    }
    if (this.vstate !== 0) {
      this.warn(this.lineNo, this.vstate === 1 ? "voucher_without_block" : "unclosed_voucher");
      this.endVoucher();
    }
    if (this.ksummaState === 1) {
      this.ksumma = "invalid";
      this.warn(null, "ksumma_unclosed");
    }
    if (this.records === 0) this.warn(null, "not_sie");
    const encoding = this.verdict();
    const used = [ENC_UTF8, ENC_CP437, ENC_LATIN1].filter((e) => this.encLines[e] > 0);
    if (used.length > 1) {
      const counts = used.map((e) => `${ENC_NAMES[e]} ${this.encLines[e]} lines (first at line ${this.encFirstLine[e]})`);
      this.warn(null, "mixed_encoding", `${WARNING_CODES.mixed_encoding}: ${counts.join(", ")}`);
    }
    if (used.length > 0 && encoding !== "cp437" && this.declaredFormat?.toUpperCase() === "PC8")
      this.warn(null, "encoding_mismatch", `${WARNING_CODES.encoding_mismatch} (${encoding})`);
    return { encoding, ksumma: this.ksumma, lines: this.lineNo, records: this.records, bytes: this.bytes };
  }

  /**
   * The file's encoding by docs/sie.md's rule: UTF-8 only when every line is strict UTF-8 (an ASCII-only file is);
   * otherwise the code page that the Swedish-letter bytes of the other lines point to, CP437 on a tie. (Each line
   * is still decoded by its own verdict, so a mixed file reads correctly whatever the file-level answer.)
   */
  private verdict(): SieEncoding {
    const c = this.encLines;
    if (c[ENC_CP437] === 0 && c[ENC_LATIN1] === 0) return "utf-8";
    return this.laLetters > this.cpLetters ? "latin1" : "cp437";
  }

  // ---------- warnings
  private warn(line: number | null, code: SieWarningCode, message: string = WARNING_CODES[code]): void {
    if (this.strict) throw new SieError(code, line, message);
    this.onWarning({ line, code, message });
  }

  // ---------- per line
  private line(buf: Buffer, s: number, e: number): void {
    this.lineNo++;
    if (!this.started) {
      this.started = true;
      if (e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) {
        s += 3;
        this.encLines[ENC_UTF8]++;
        this.encFirstLine[ENC_UTF8] = 1;
      }
    }
    while (e > s && (buf[e - 1] === 13 || buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
    if (s === e) return;
    this.lineEnd = e;
    const c0 = buf[s];
    if (e - s === 1 && (c0 === 123 || c0 === 125)) { this.brace(c0 === 123); return; }
    const t = this.t;
    tokenize(buf, s, e, t, true);
    this.buf = buf;
    this.enc = t.firstHigh >= 0 ? this.classify(buf, e) : ENC_ASCII;
    if (c0 !== 35 /* # */) {
      this.tally();
      this.warn(this.lineNo, "not_a_record");
      return;
    }
    const id = this.labelId(buf, t.s[0] + 1, t.e[0]);
    // Visma (SPCS) writes #FNR, its own Windows path, in the ANSI code page in an otherwise CP437 file. The line
    // is still decoded as what it is, but it says nothing about the file's encoding (no mixed_encoding for it).
    if (id !== L.FNR) this.tally();
    if (this.ksummaState === 1 && id !== L.KSUMMA) this.crcLine();
    if (id < 0) {
      this.warn(this.lineNo, "unknown_label", `${WARNING_CODES.unknown_label}: ${this.str(0)}`);
      return;
    }
    this.records++;
    if (t.problem) this.warn(this.lineNo, t.problem);
    this.dispatch(id);
  }

  /**
   * Encoding of one line with high bytes: strict UTF-8 if valid, else the code page its Swedish letters point to;
   * a tie follows the file's letters so far, else CP437. The tokenizer found the first high byte and counted the
   * letters; everything before the first high byte is ASCII, so validation starts there.
   */
  private classify(buf: Buffer, e: number): number {
    const t = this.t;
    if (isStrictUtf8(buf, t.firstHigh, e)) return ENC_UTF8;
    const cp = t.cpLetters, la = t.laLetters;
    return cp > la ? ENC_CP437 : la > cp ? ENC_LATIN1 : this.laLetters > this.cpLetters ? ENC_LATIN1 : ENC_CP437;
  }

  /** Counts the current line's encoding (and its letters) towards the file's encoding and mixed_encoding. */
  private tally(): void {
    const enc = this.enc;
    if (enc === ENC_ASCII) return;
    if (enc !== ENC_UTF8) {
      this.cpLetters += this.t.cpLetters;
      this.laLetters += this.t.laLetters;
    }
    if (this.encLines[enc]++ === 0) this.encFirstLine[enc] = this.lineNo;
  }

  private labelId(buf: Buffer, s: number, e: number): number {
    const len = e - s;
    if (len < 1 || len > 10) return -1;
    let k = 0;
    for (let i = s; i < e; i++) {
      const b = buf[i] & 0xdf;
      if (b < 65 || b > 90) return -1;
      k = k * 32 + (b - 64);
    }
    return LABEL_IDS.get(k) ?? -1;
  }

  // ---------- decoding fields
  private decode(s: number, e: number, f: number): string {
    if (s === e) return "";
    const buf = this.buf;
    let out: string;
    // Only fields with high bytes depend on the line's encoding; ASCII is the same in all three.
    if (!(f & F_HIGH)) out = decodeAscii(buf, s, e);
    else if (this.enc === ENC_UTF8) out = buf.toString("utf8", s, e);
    else if (this.enc === ENC_CP437) out = decodeCp437(buf, s, e);
    else out = decodeLatin1(buf, s, e);
    return f & F_ESC ? out.replace(/\\"/g, '"') : out;
  }
  private str(k: number): string {
    const t = this.t;
    return k < t.n ? this.decode(t.s[k], t.e[k], t.f[k]) : "";
  }
  private has(k: number): boolean {
    return k < this.t.n;
  }
  private isEmpty(k: number): boolean {
    return k >= this.t.n || this.t.s[k] === this.t.e[k];
  }
  /**
   * Free text in the last field, which may be written unquoted with spaces (`#FNAMN Övningsbolaget AB`, a sign
   * `Anna Andersson`): joined, with a warning. `want: false` (lean mode) gives the same warnings without the text.
   */
  private textFrom(k: number, want = true): string {
    const t = this.t;
    if (k >= t.n) return "";
    if (k === t.n - 1) return want ? this.str(k) : "";
    if (t.f[k] & F_QUOTED) {
      // `#KONTO 1288 "F"rskott till Lind" Park"` (SoftOne XE): a quote inside the text, left unescaped. The closing
      // quote is glued to the next word and the line ends in a quote: the text runs to that last quote.
      const close = t.e[k], end = this.lineEnd;
      const next = this.buf[close + 1];
      if (next !== 32 && next !== 9 && this.buf[end - 1] === 34 && end - 1 > close) {
        this.warn(this.lineNo, "unescaped_quote");
        if (!want) return "";
        let f = 0;
        for (let i = k; i < t.n; i++) f |= t.f[i] & F_HIGH;
        return this.decode(t.s[k], end - 1, f);
      }
      this.warn(this.lineNo, "unknown_fields");
      return want ? this.str(k) : "";
    }
    this.warn(this.lineNo, "unquoted_text");
    if (!want) return "";
    const parts: string[] = [];
    for (let i = k; i < t.n; i++) parts.push(this.str(i));
    return parts.join(" ");
  }
  private account(k: number): string {
    const t = this.t, buf = this.buf;
    const s = t.s[k], e = t.e[k], len = e - s;
    if (len > 0 && len <= 12) {
      let v = 0, i = s;
      for (; i < e; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === e) {
        const key = v * 16 + len;
        const hit = this.accountCache.get(key);
        if (hit !== undefined) return hit;
        const a = buf.toString("latin1", s, e);
        if (this.accountCache.size < 100_000) this.accountCache.set(key, a);
        return a;
      }
    }
    return this.decode(s, e, t.f[k]);
  }
  private objects(k: number): readonly SieObjectRef[] {
    const t = this.t;
    const s = t.s[k], e = t.e[k];
    if (!(t.f[k] & F_BRACES)) return EMPTY_OBJECTS;
    let blank = true;
    for (let i = s; i < e; i++) if (this.buf[i] !== 32 && this.buf[i] !== 9) { blank = false; break; }
    if (blank) return EMPTY_OBJECTS;
    // Few distinct lists per file: cache them by a hash of their bytes (and by the code page, when it matters),
    // checking the bytes on a hit, so a repeated list costs no string at all.
    const buf = this.buf;
    const enc = t.f[k] & F_HIGH ? this.enc : ENC_ASCII;
    const hash = fnv1a(buf, s, e) ^ enc;
    const cached = this.objectListCache.get(hash);
    if (cached && cached.enc === enc && sameBytes(cached.bytes, buf, s, e)) return cached.list;
    const sub = this.sub;
    tokenize(this.buf, s, e, sub, false);
    const list: SieObjectRef[] = [];
    for (let i = 0; i + 1 < sub.n; i += 2)
      list.push({ dim: this.decode(sub.s[i], sub.e[i], sub.f[i]), object: this.decode(sub.s[i + 1], sub.e[i + 1], sub.f[i + 1]) });
    Object.freeze(list);
    // Malformed lists are not cached, so that every occurrence warns (as lean mode does).
    if (sub.n % 2 !== 0) this.warn(this.lineNo, "bad_object_list");
    else if (!cached && this.objectListCache.size < 50_000)
      this.objectListCache.set(hash, { bytes: Uint8Array.from(buf.subarray(s, e)), enc, list });
    return list;
  }
  private amount(k: number): number {
    const t = this.t;
    const v = parseAmountBytes(this.buf, t.s[k], t.e[k]);
    if (v !== v) {
      this.warn(this.lineNo, "bad_amount", `${WARNING_CODES.bad_amount}: "${this.str(k)}"`);
      return NaN;
    }
    if (amountFlags !== 0) {
      if (amountFlags & AMOUNT_COMMA) this.warn(this.lineNo, "decimal_comma");
      if (amountFlags & AMOUNT_ROUNDED) this.warn(this.lineNo, "amount_rounded");
    }
    return v;
  }
  /** Date field → ISO string; empty → null; invalid → warning and null. */
  private date(k: number): string | null {
    const t = this.t;
    if (k >= t.n) return null;
    const v = parseDateBytes(this.buf, t.s[k], t.e[k]);
    if (v > 0) {
      if (dateDashed) this.warn(this.lineNo, "date_format");
      return isoDate(v);
    }
    if (v < 0) this.warn(this.lineNo, "bad_date", `${WARNING_CODES.bad_date}: "${this.str(k)}"`);
    return null;
  }
  private int(k: number): number {
    const text = this.str(k);
    if (!/^[+-]?\d{1,9}$/.test(text)) {
      this.warn(this.lineNo, "bad_number", `${WARNING_CODES.bad_number}: "${text}"`);
      return NaN;
    }
    return Number(text);
  }
  private quantity(k: number): number | null {
    const t = this.t;
    if (k >= t.n || t.s[k] === t.e[k] || !this.quantityValid(k)) return null;
    if (t.e[k] - t.s[k] === 1 && this.buf[t.s[k]] === 48) return 0;
    return Number(this.str(k).replace(",", "."));
  }
  /** Byte-level check (no string) so lean mode warns exactly like full mode. */
  private quantityValid(k: number): boolean {
    const t = this.t, buf = this.buf;
    if (k >= t.n) return true;
    let i = t.s[k];
    const e = t.e[k];
    if (i === e) return true;
    if (buf[i] === 45 || buf[i] === 43) i++;
    let digits = 0, seps = 0;
    for (; i < e; i++) {
      const b = buf[i];
      if (b >= 48 && b <= 57) digits++;
      else if ((b === 46 || b === 44) && seps === 0) seps++;
      else { digits = 0; break; }
    }
    if (digits > 0) return true;
    this.warn(this.lineNo, "bad_quantity");
    return false;
  }
  /** Lean mode: validate an object list's shape without building it. */
  private objectsValid(k: number): void {
    const t = this.t;
    if (!(t.f[k] & F_BRACES) || t.s[k] === t.e[k]) return;
    const sub = this.sub;
    tokenize(this.buf, t.s[k], t.e[k], sub, false);
    if (sub.n % 2 !== 0) this.warn(this.lineNo, "bad_object_list");
  }
  private need(count: number): boolean {
    if (this.t.n >= count) return true;
    this.warn(this.lineNo, "missing_field", `${WARNING_CODES.missing_field} (${this.str(0)})`);
    return false;
  }
  private noExtra(count: number): void {
    if (this.t.n > count) this.warn(this.lineNo, "unknown_fields");
  }

  // ---------- KSUMMA
  private crcLine(): void {
    const t = this.t, buf = this.buf;
    const transcode = this.enc === ENC_UTF8 || this.enc === ENC_LATIN1;
    for (let k = 0; k < t.n; k++) {
      const f = t.f[k];
      if (f & F_BRACES) {
        const sub = this.sub;
        tokenize(buf, t.s[k], t.e[k], sub, false);
        for (let i = 0; i < sub.n; i++) this.crcField(sub.s[i], sub.e[i], sub.f[i], transcode);
      } else this.crcField(t.s[k], t.e[k], f, transcode);
    }
  }
  private crcField(s: number, e: number, f: number, transcode: boolean): void {
    if (transcode) {
      const bytes = encodeCp437(this.decode(s, e, f));
      this.crc = crcUpdate(this.crc, bytes, 0, bytes.length);
    } else if (f & F_ESC) {
      const buf = this.buf;
      let c = this.crc;
      for (let i = s; i < e; i++) {
        if (buf[i] === 92 && i + 1 < e && buf[i + 1] === 34) continue;
        c = crcByte(c, buf[i]);
      }
      this.crc = c;
    } else this.crc = crcUpdate(this.crc, this.buf, s, e);
  }
  private ksummaRecord(): void {
    if (this.t.n === 1) {
      if (this.ksummaState !== 0) { this.warn(this.lineNo, "ksumma_duplicate"); return; }
      this.ksummaState = 1;
      this.crc = CRC_INIT;
      return;
    }
    const text = this.str(1);
    const declared = /^-?\d{1,10}$/.test(text) ? Number(text) >>> 0 : NaN;
    if (this.ksummaState !== 1) {
      this.ksumma = "invalid";
      this.warn(this.lineNo, "ksumma_without_opening");
      return;
    }
    this.ksummaState = 2;
    const actual = crcFinal(this.crc);
    this.ksumma = declared === actual ? "valid" : "invalid";
    if (this.ksumma === "invalid")
      this.warn(this.lineNo, "ksumma_invalid", `${WARNING_CODES.ksumma_invalid} (declared ${text}, computed ${actual})`);
  }

  // ---------- vouchers
  private brace(open: boolean): void {
    if (open) {
      if (this.vstate === 1) this.vstate = 2;
      else this.warn(this.lineNo, "unexpected_brace");
    } else if (this.vstate === 2) {
      this.endVoucher();
    } else this.warn(this.lineNo, "unexpected_brace");
  }

  private endVoucher(): void {
    this.flushPending();
    this.vstate = 0;
    this.sink.voucherEnd(this.lineNo);
  }

  private flushPending(): void {
    const r = this.pendingR;
    if (!r) return;
    this.pendingR = null;
    this.warn(r.line, "rtrans_without_twin");
    this.sink.correction("added", r);
    this.sink.row(r);
  }

  private startVoucher(): void {
    const head: SieVoucherHead = {
      series: this.str(1),
      number: this.str(2),
      date: null, text: "", regDate: null, sign: "", line: this.lineNo,
    };
    if (this.has(3)) head.date = this.date(3);
    if (head.date === null) this.warn(this.lineNo, "bad_date", `${WARNING_CODES.bad_date}: voucher without a valid date`);
    head.regDate = this.isEmpty(5) ? null : this.date(5);
    if (!this.lean) head.text = this.str(4);
    head.sign = this.textFrom(6, !this.lean);
    this.voucherDate = head.date;
    this.vstate = 1;
    this.sink.voucherStart(head);
  }

  /** Parses #TRANS/#RTRANS/#BTRANS fields; lean rows reuse one object. */
  private parseRow(full: boolean): SieRow | null {
    if (!this.need(3)) return null;
    const t = this.t;
    let k = 2;
    let objects = EMPTY_OBJECTS;
    if (t.f[2] & F_BRACES) {
      if (full) objects = this.objects(2);
      else this.objectsValid(2);
      k = 3;
      if (!this.need(4)) return null;
    } else this.warn(this.lineNo, "missing_object_list");
    const amount = this.amount(k);
    if (amount !== amount) return null;
    const ownDate = this.date(k + 1);
    const date = ownDate ?? this.voucherDate;
    if (!full) {
      this.quantityValid(k + 3);
      this.textFrom(k + 4, false);
      const r = this.leanRow;
      r.account = this.account(1); r.amount = amount; r.date = date; r.line = this.lineNo;
      return r;
    }
    return {
      account: this.account(1), objects, amount, date,
      text: this.str(k + 2), quantity: this.quantity(k + 3), sign: this.textFrom(k + 4), line: this.lineNo,
    };
  }

  private rowRecord(id: number): void {
    if (this.vstate === 0) { this.warn(this.lineNo, "row_outside_voucher"); return; }
    if (this.vstate === 1) { this.warn(this.lineNo, "voucher_without_block"); this.vstate = 2; }
    if (id === L.TRANS) {
      const pending = this.pendingR;
      const row = this.parseRow(!this.lean || pending !== null);
      if (!row) return;
      if (pending) {
        this.pendingR = null;
        if (isTwin(pending, row)) this.sink.correction("added", pending);
        else { this.pendingR = pending; this.flushPending(); }
      }
      this.sink.row(row);
    } else {
      const row = this.parseRow(true);
      if (!row) return;
      this.flushPending();
      if (id === L.RTRANS) this.pendingR = row;
      else this.sink.correction("removed", row);
    }
  }

  // ---------- records
  private dispatch(id: number): void {
    if (id === L.TRANS || id === L.RTRANS || id === L.BTRANS) { this.rowRecord(id); return; }
    if (this.vstate !== 0) {
      this.warn(this.lineNo, this.vstate === 1 ? "voucher_without_block" : "unclosed_voucher");
      this.endVoucher();
    }
    if (id === L.VER) { this.startVoucher(); return; }
    if (id === L.KSUMMA) { this.ksummaRecord(); return; }
    const line = this.lineNo;
    const emit = (r: SieRecord) => this.sink.record(r);
    if (INFO_LABELS.has(id)) {
      const label = LABELS[id] as InfoLabel;
      const values: string[] = [];
      if (label === "FNAMN") { if (this.has(1)) values.push(this.textFrom(1)); }
      else for (let k = 1; k < this.t.n; k++) values.push(this.str(k));
      emit({ kind: "info", line, label, values });
      return;
    }
    switch (id) {
      case L.FLAGGA: emit({ kind: "flag", line, value: this.str(1) }); this.noExtra(2); return;
      case L.PROGRAM: {
        if (!this.need(2)) return;
        const rest: string[] = [];
        for (let k = 2; k < this.t.n; k++) rest.push(this.str(k));
        emit({ kind: "program", line, name: this.str(1), version: rest.join(" ") });
        return;
      }
      case L.FORMAT: {
        const value = this.str(1);
        if (value.toUpperCase() !== "PC8") this.warn(line, "unsupported_format", `${WARNING_CODES.unsupported_format}: ${value}`);
        this.declaredFormat = value;
        emit({ kind: "format", line, value });
        return;
      }
      case L.GEN: emit({ kind: "generated", line, date: this.date(1), sign: this.str(2) }); return;
      case L.SIETYP: emit({ kind: "sieType", line, value: this.str(1) }); this.noExtra(2); return;
      case L.RAR: {
        if (!this.need(2)) return;
        const index = this.int(1);
        if (index !== index) return;
        emit({ kind: "year", line, index, start: this.date(2), end: this.date(3) });
        this.noExtra(4);
        return;
      }
      case L.KONTO: if (this.need(2)) emit({ kind: "account", line, account: this.account(1), name: this.textFrom(2) }); return;
      case L.KTYP: {
        if (!this.need(3)) return;
        const type = this.str(2).toUpperCase();
        if (type !== "T" && type !== "S" && type !== "K" && type !== "I") { this.warn(line, "bad_account_type"); return; }
        emit({ kind: "accountType", line, account: this.account(1), type: type as AccountType });
        this.noExtra(3);
        return;
      }
      case L.ENHET: if (this.need(3)) emit({ kind: "unit", line, account: this.account(1), unit: this.textFrom(2) }); return;
      case L.SRU: {
        // `#SRU 2010` (Visma) and `#SRU 1010 0` (Mamut, for every account) say the account has no code: nothing to keep.
        if (this.t.n === 2) return;
        if (!this.need(3)) return;
        const code = this.str(2);
        if (/^0*$/.test(code.trim())) { this.noExtra(3); return; }
        emit({ kind: "sru", line, account: this.account(1), code });
        this.noExtra(3);
        return;
      }
      case L.DIM: if (this.need(3)) emit({ kind: "dimension", line, dim: this.str(1), name: this.textFrom(2), parent: null }); return;
      case L.UNDERDIM:
        if (this.need(4)) { emit({ kind: "dimension", line, dim: this.str(1), name: this.str(2), parent: this.str(3) }); this.noExtra(4); }
        return;
      case L.OBJEKT: if (this.need(4)) emit({ kind: "object", line, dim: this.str(1), object: this.str(2), name: this.textFrom(3) }); return;
      case L.IB: case L.UB: case L.RES: {
        if (!this.need(4)) return;
        const year = this.int(1), amount = this.amount(3);
        if (year !== year || amount !== amount) return;
        const type = id === L.IB ? "IB" : id === L.UB ? "UB" : "RES";
        emit({ kind: "balance", line, type, year, account: this.account(2), amount, quantity: this.quantity(4) });
        this.noExtra(5);
        return;
      }
      case L.OIB: case L.OUB: {
        if (!this.need(5)) return;
        const year = this.int(1), amount = this.amount(4);
        if (year !== year || amount !== amount) return;
        emit({
          kind: "objectBalance", line, type: id === L.OIB ? "OIB" : "OUB", year, account: this.account(2),
          objects: this.objects(3), amount, quantity: this.quantity(5),
        });
        this.noExtra(6);
        return;
      }
      case L.PSALDO: case L.PBUDGET: {
        // Some exports leave out the `{}` of an objectless row (`#PBUDGET 0 201707 7834 1666.00`): the amount then
        // stands where the list would. Unambiguous, since an object list is always in braces, so read it as `{}`.
        const braces = this.has(4) && (this.t.f[4] & F_BRACES) !== 0;
        const k = braces || !this.has(4) ? 5 : 4;
        if (!this.need(k + 1)) return;
        const year = this.int(1), amount = this.amount(k);
        if (year !== year || amount !== amount) return;
        emit({
          kind: "period", line, type: id === L.PSALDO ? "PSALDO" : "PBUDGET", year, period: this.str(2),
          account: this.account(3), objects: braces ? this.objects(4) : EMPTY_OBJECTS, amount, quantity: this.quantity(k + 1),
        });
        this.noExtra(k + 2);
        return;
      }
    }
  }
}
