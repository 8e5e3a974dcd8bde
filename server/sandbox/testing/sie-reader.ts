import { crc32 } from "node:zlib";
import iconv from "iconv-lite";

// A minimal SIE 4 reader for the sandbox's own tests (the product's engine lives in server/sie). It reads what the
// sandbox writes: CP437, quoted fields with \" escapes, {} object lists, #VER blocks, and checks #KSUMMA.

export interface SieRow {
  kind: "TRANS" | "RTRANS" | "BTRANS";
  account: number;
  objects: [string, string][];
  amount: number; // öre
  text: string;
  sign: string;
}
export interface SieVoucher {
  series: string;
  number: number;
  date: string;
  text: string;
  rows: SieRow[];
}
export interface SieFile {
  labels: Map<string, string[][]>;
  accounts: Map<number, string>;
  sru: Map<number, number>;
  ib: Map<string, number>; // "yearIdx:account"
  ub: Map<string, number>;
  res: Map<string, number>;
  psaldo: Map<string, number>; // "yearIdx:period:account"
  vouchers: SieVoucher[];
  checksum: { expected: number | null; actual: number };
}

export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === " " || ch === "\t") {
      i++;
    } else if (ch === '"') {
      let s = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) i++;
        s += line[i++];
      }
      i++;
      out.push(s);
    } else if (ch === "{") {
      const end = line.indexOf("}", i);
      out.push(line.slice(i, end + 1));
      i = end + 1;
    } else {
      let s = "";
      while (i < line.length && line[i] !== " " && line[i] !== "\t") s += line[i++];
      out.push(s);
    }
  }
  return out;
}

function objectsOf(field: string): [string, string][] {
  const inner = tokenize(field.slice(1, -1));
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < inner.length; i += 2) out.push([inner[i], inner[i + 1]]);
  return out;
}

export function amountToOre(s: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`bad SIE amount ${s}`);
  const n = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -n : n;
}

export function readSie(bytes: Uint8Array): SieFile {
  const text = iconv.decode(Buffer.from(bytes), "cp437");
  const f: SieFile = {
    labels: new Map(), accounts: new Map(), sru: new Map(), ib: new Map(), ub: new Map(), res: new Map(), psaldo: new Map(),
    vouchers: [], checksum: { expected: null, actual: 0 },
  };
  let crcParts: string[] = [];
  let crc = 0;
  let inCrc = false;
  let current: SieVoucher | null = null;
  for (const line of text.split("\r\n")) {
    if (!line || line === "{" || line === "}") continue;
    const [label, ...fields] = tokenize(line);
    if (label === "#KSUMMA") {
      if (fields.length === 0) inCrc = true;
      else {
        crc = crc32(iconv.encode(crcParts.join(""), "cp437"), crc);
        crcParts = [];
        f.checksum = { expected: Number(fields[0]), actual: crc >>> 0 };
      }
      continue;
    }
    if (inCrc) {
      crcParts.push(label);
      for (const x of fields) crcParts.push(x.startsWith("{") ? objectsOf(x).flat().join("") : x);
      if (crcParts.length > 10_000) {
        crc = crc32(iconv.encode(crcParts.join(""), "cp437"), crc);
        crcParts = [];
      }
    }
    if (!f.labels.has(label)) f.labels.set(label, []);
    if (f.labels.get(label)!.length < 50) f.labels.get(label)!.push(fields);
    switch (label) {
      case "#KONTO":
        f.accounts.set(Number(fields[0]), fields[1]);
        break;
      case "#SRU":
        f.sru.set(Number(fields[0]), Number(fields[1]));
        break;
      case "#IB":
      case "#UB":
      case "#RES":
        (label === "#IB" ? f.ib : label === "#UB" ? f.ub : f.res).set(`${fields[0]}:${fields[1]}`, amountToOre(fields[2]));
        break;
      case "#PSALDO":
        f.psaldo.set(`${fields[0]}:${fields[1]}:${fields[2]}`, amountToOre(fields[4]));
        break;
      case "#VER":
        current = { series: fields[0], number: Number(fields[1]), date: fields[2], text: fields[3], rows: [] };
        f.vouchers.push(current);
        break;
      case "#TRANS":
      case "#RTRANS":
      case "#BTRANS":
        current!.rows.push({
          kind: label.slice(1) as SieRow["kind"], account: Number(fields[0]), objects: objectsOf(fields[1]), amount: amountToOre(fields[2]),
          text: fields[4] ?? "", sign: fields[6] ?? "",
        });
        break;
    }
  }
  return f;
}

/** Effective rows: #TRANS only (an #RTRANS is followed by its #TRANS twin; #BTRANS never counts). */
export function effectiveRows(v: SieVoucher): SieRow[] {
  return v.rows.filter((r) => r.kind === "TRANS");
}
