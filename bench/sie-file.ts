// The SIE file bench/sie.ts parses: generated once per size and generator version (cached in bench/out/), a
// realistic SIE 4 company in CP437 — chart of accounts, dimensions and objects, IB/UB/RES/PSALDO that agree with
// the vouchers, and many #VER with #TRANS rows, some #RTRANS/#BTRANS corrections.
import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { formatAmount } from "../server/sie";

const MB = 1e6;
/** Bump when the generated content changes, so cached files are regenerated. */
const GENERATOR_VERSION = 2;
const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "out");
const log = (s: string) => process.stderr.write(s + "\n");

export async function ensureFile(mb: number, regenerate: boolean): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `bench-${mb}mb-v${GENERATOR_VERSION}.se`);
  if (existsSync(file) && !regenerate) return file;
  const t0 = performance.now();
  log(`generating ${path.relative(process.cwd(), file)} (about ${mb} MB, CP437)…`);
  const tmp = file + ".tmp";
  await generate(tmp, Math.round(mb * MB));
  renameSync(tmp, file);
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

/** Small deterministic PRNG (mulberry32), so every run generates the same file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BALANCE_ACCOUNTS: [string, string, string][] = [
  ["1220", "Inventarier och verktyg", "T"], ["1229", "Ackumulerade avskrivningar inventarier", "T"],
  ["1460", "Lager av handelsvaror", "T"], ["1510", "Kundfordringar", "T"], ["1630", "Skattekonto", "T"],
  ["1910", "Kassa", "T"], ["1930", "Företagskonto / affärskonto", "T"], ["2081", "Aktiekapital", "S"],
  ["2091", "Balanserad vinst eller förlust", "S"], ["2440", "Leverantörsskulder", "S"],
  ["2611", "Utgående moms på försäljning inom Sverige, 25 %", "S"], ["2641", "Debiterad ingående moms", "S"],
  ["2650", "Redovisningskonto för moms", "S"], ["2710", "Personalskatt", "S"], ["2730", "Lagstadgade sociala avgifter", "S"],
  ["2920", "Upplupna semesterlöner", "S"],
];
const RESULT_ACCOUNTS: [string, string, string][] = [
  ["3001", "Försäljning inom Sverige, 25 % moms", "I"], ["3002", "Försäljning inom Sverige, 12 % moms", "I"],
  ["3740", "Öres- och kronutjämning", "I"], ["4010", "Inköp material och varor", "K"], ["5010", "Lokalhyra", "K"],
  ["5410", "Förbrukningsinventarier", "K"], ["5800", "Resekostnader", "K"], ["6110", "Kontorsmateriel", "K"],
  ["6212", "Mobiltelefon", "K"], ["6570", "Bankkostnader", "K"], ["7010", "Löner till kollektivanställda", "K"],
  ["7510", "Arbetsgivaravgifter 31,42 %", "K"], ["7832", "Avskrivningar på inventarier och verktyg", "K"],
  ["8310", "Ränteintäkter från omsättningstillgångar", "I"],
];
const COST_CENTRES = ["10", "20", "30", "40", "50", "60"];
const COST_CENTRE_NAMES = ["Försäljning Nord", "Försäljning Syd", "Lager Växjö", "Administration", "Ekonomi", "Ledning"];
const PROJECTS = Array.from({ length: 40 }, (_, i) => `P${100 + i}`);
const CUSTOMERS = ["Åkesson & Öberg AB", "Ärlig Bygg i Örebro", "Sjöström Konsult", "Nordström Handel", "Bäckström El AB", "Hägg Måleri"];
const SUPPLIERS = ["Kontorsvaror i Växjö AB", "Fastighets AB Älven", "Telia Sverige AB", "Grossisten Öst", "Resebyrån Åre"];
const USERS = ["Anna Andersson", "Örjan Åström", "Eva Ek", "BO"];

type Row = { account: string; objects: string; amount: number };
interface Voucher {
  series: string; number: number; date: number; regDate: number; text: string; rows: Row[];
  /** Row 1 was booked on the wrong account: struck out (#BTRANS) and added on `corrected` (#RTRANS + twin). */
  corrected: string | null; user: string;
}
const CORRECTION: Record<string, string> = { "3001": "3002", "4010": "5410", "5010": "5410", "5410": "6110", "5800": "6110", "6110": "5410", "6212": "6110" };
/** About this many bytes per voucher, so that vouchers spread over the whole year whatever the file size. */
const BYTES_PER_VOUCHER = 240;

function yyyymmdd(day: number): number {
  const d = new Date(Date.UTC(2023, 0, 1 + Math.max(0, Math.min(364, day))));
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/**
 * The voucher stream: a pure function of the target size, so two passes see the same vouchers. Dates advance
 * through 2023 (a few registered late); payments settle the oldest open invoices, so the ledgers stay plausible.
 */
function* vouchers(targetBytes: number): Generator<Voucher> {
  const rnd = prng(20240215);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const ore = (min: number, max: number) => Math.round((min + rnd() * (max - min)) * 100);
  const numbers: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, L: 0 };
  const receivables: [string, number][] = [], payables: [string, number][] = [];
  const perDay = Math.max(1, targetBytes / BYTES_PER_VOUCHER / 365);
  const objects = (withProject: boolean) => {
    const cc = `1 "${pick(COST_CENTRES)}"`;
    return withProject ? `{${cc} 6 "${pick(PROJECTS)}"}` : `{${cc}}`;
  };
  for (let index = 0; ; index++) {
    const day = Math.floor(index / perDay) - (rnd() < 0.05 ? 1 + Math.floor(rnd() * 10) : 0);
    const date = yyyymmdd(day);
    const kind = rnd();
    const rows: Row[] = [];
    let series: string, text: string;
    if (kind < 0.3) { // customer invoice: net split over 1–3 sales rows with objects
      series = "A";
      const customer = pick(CUSTOMERS);
      text = `Kundfaktura ${numbers.A + 1001} ${customer}`;
      let net = 0;
      const parts = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < parts; i++) {
        const a = ore(100, 20000);
        net += a;
        rows.push({ account: "3001", objects: objects(rnd() < 0.5), amount: -a });
      }
      const vat = Math.round(net / 4);
      rows.unshift({ account: "1510", objects: "{}", amount: net + vat });
      rows.push({ account: "2611", objects: "{}", amount: -vat });
      if (receivables.length < 5000) receivables.push([customer, net + vat]);
    } else if (kind < 0.52) { // supplier invoice
      series = "B";
      const supplier = pick(SUPPLIERS);
      text = `Leverantörsfaktura ${supplier}`;
      const net = ore(50, 15000), vat = Math.round(net / 4);
      rows.push({ account: "2440", objects: "{}", amount: -(net + vat) });
      rows.push({ account: pick(["4010", "5010", "5410", "5800", "6110", "6212"]), objects: objects(rnd() < 0.3), amount: net });
      rows.push({ account: "2641", objects: "{}", amount: vat });
      if (payables.length < 5000) payables.push([supplier, net + vat]);
    } else if (kind < 0.8) { // customer payment of the oldest open invoice
      series = "C";
      const [customer, a] = receivables.shift() ?? [pick(CUSTOMERS), ore(100, 25000)];
      text = `Inbetalning ${customer}`;
      rows.push({ account: "1930", objects: "{}", amount: a }, { account: "1510", objects: "{}", amount: -a });
    } else if (kind < 0.97) { // supplier payment with a bank fee
      series = "D";
      const [supplier, a] = payables.shift() ?? [pick(SUPPLIERS), ore(50, 18000)];
      text = `Utbetalning ${supplier}`;
      const fee = ore(1, 5);
      rows.push({ account: "2440", objects: "{}", amount: a }, { account: "6570", objects: "{}", amount: fee },
        { account: "1930", objects: "{}", amount: -(a + fee) });
    } else { // salary run
      series = "L";
      text = `Lön ${String(date).slice(0, 4)}-${String(date).slice(4, 6)}`;
      const gross = ore(20000, 60000), tax = Math.round(gross * 0.3), fees = Math.round(gross * 0.3142);
      rows.push({ account: "7010", objects: objects(false), amount: gross }, { account: "7510", objects: objects(false), amount: fees },
        { account: "2710", objects: "{}", amount: -tax }, { account: "2730", objects: "{}", amount: -fees },
        { account: "1930", objects: "{}", amount: -(gross - tax) });
    }
    numbers[series]++;
    const regDate = rnd() < 0.3 ? yyyymmdd(day + 1 + Math.floor(rnd() * 3)) : date;
    const corrected = rnd() < 0.03 ? CORRECTION[rows[1].account] ?? null : null;
    yield { series, number: numbers[series], date, regDate, text, rows, corrected, user: pick(USERS) };
  }
}

/** A voucher as SIE text: the voucher text also on its first row, empty texts (`""`) on the others. */
function voucherText(v: Voucher): string {
  const date = String(v.date);
  let s = `#VER ${v.series} ${v.number} ${date} "${v.text}" ${v.regDate} "${v.user}"\r\n{\r\n`;
  v.rows.forEach((r, i) => {
    const amount = formatAmount(r.amount);
    if (v.corrected && i === 1) {
      s += `\t#BTRANS ${r.account} ${r.objects} ${amount} ${v.regDate} "" 0 "${v.user}"\r\n`;
      s += `\t#RTRANS ${v.corrected} ${r.objects} ${amount} ${v.regDate} "" 0 "${v.user}"\r\n`;
      s += `\t#TRANS ${v.corrected} ${r.objects} ${amount} ${v.regDate} "" 0\r\n`;
    } else if (i === 0) s += `\t#TRANS ${r.account} ${r.objects} ${amount} ${date} "${v.text}"\r\n`;
    else s += `\t#TRANS ${r.account} ${r.objects} ${amount} "" "" 0\r\n`;
  });
  return s + "}\r\n";
}

/** Effective rows, as the engine should count them. */
function effectiveRows(v: Voucher): Row[] {
  return v.corrected ? v.rows.map((r, i) => (i === 1 ? { ...r, account: v.corrected! } : r)) : v.rows;
}

async function generate(file: string, targetBytes: number): Promise<void> {
  // Pass 1: how many vouchers fit, and the sums the balances must agree with.
  const turnover = new Map<string, number>();
  const periods = new Map<string, number>(); // "account|month|objects" → sum
  let count = 0, bytes = 60_000; // room for the header and balances
  for (const v of vouchers(targetBytes)) {
    if (bytes >= targetBytes) break;
    bytes += voucherText(v).length; // one byte per character in CP437
    count++;
    const month = String(Math.floor(v.date / 100));
    for (const r of effectiveRows(v)) {
      turnover.set(r.account, (turnover.get(r.account) ?? 0) + r.amount);
      if (r.account >= "3") {
        const cc = /\{1 "(\d+)"/.exec(r.objects)?.[1];
        for (const key of [`${r.account}|${month}|{}`, ...(cc ? [`${r.account}|${month}|{1 "${cc}"}`] : [])])
          periods.set(key, (periods.get(key) ?? 0) + r.amount);
      }
    }
  }

  const out = createWriteStream(file);
  let pending = "";
  const write = async (s: string) => {
    pending += s;
    if (pending.length >= 1 << 20) {
      if (!out.write(iconv.encode(pending, "cp437"))) await once(out, "drain");
      pending = "";
    }
  };
  const rnd = prng(7);
  await write([
    "#FLAGGA 0", '#PROGRAM "Fortnox" 3.57.2', "#FORMAT PC8", '#GEN 20240215 "Bänk"', "#SIETYP 4",
    '#PROSA "Genererad testfil för prestandamätning"', "#FNR 4711", "#ORGNR 556677-8899",
    '#ADRESS "Örjan Åström" "Storgatan 1" "352 30 Växjö" "0470-123 45"', '#FNAMN "Bänkbolaget Åkesson & Öberg AB"',
    "#RAR 0 20230101 20231231", "#RAR -1 20220101 20221231", "#TAXAR 2024", "#KPTYP BAS2014", "#VALUTA SEK",
    '#DIM 1 "Kostnadsställe"', '#DIM 6 "Projekt"',
    ...COST_CENTRES.map((c, i) => `#OBJEKT 1 "${c}" "${COST_CENTRE_NAMES[i]}"`),
    ...PROJECTS.map((p, i) => `#OBJEKT 6 "${p}" "Projekt ${i + 1} Älvsjö"`),
  ].join("\r\n") + "\r\n");
  for (const [account, name, type] of [...BALANCE_ACCOUNTS, ...RESULT_ACCOUNTS])
    await write(`#KONTO ${account} "${name}"\r\n#KTYP ${account} ${type}\r\n#SRU ${account} ${7000 + Number(account.slice(0, 3))}\r\n`);
  // Opening balances sum to zero (2091 takes the rest); UB = IB + Σ rows; RES = Σ rows.
  const ib = new Map<string, number>();
  let rest = 0;
  for (const [account] of BALANCE_ACCOUNTS) {
    if (account === "2091") continue;
    const a = Math.round((rnd() - (account < "2" ? 0.2 : 0.8)) * 50_000_000);
    ib.set(account, a);
    rest -= a;
  }
  ib.set("2091", rest);
  for (const [account] of BALANCE_ACCOUNTS) {
    const a = ib.get(account)!;
    const prevIb = Math.round(a * 0.8);
    await write(`#IB 0 ${account} ${formatAmount(a)}\r\n#UB 0 ${account} ${formatAmount(a + (turnover.get(account) ?? 0))}\r\n`);
    await write(`#IB -1 ${account} ${formatAmount(prevIb)}\r\n#UB -1 ${account} ${formatAmount(a)}\r\n`);
  }
  for (const [account] of RESULT_ACCOUNTS) {
    await write(`#RES 0 ${account} ${formatAmount(turnover.get(account) ?? 0)}\r\n`);
    await write(`#RES -1 ${account} ${formatAmount(Math.round((turnover.get(account) ?? 0) * 0.9))}\r\n`);
  }
  for (const [key, sum] of [...periods].sort()) {
    const [account, month, objects] = key.split("|");
    await write(`#PSALDO 0 ${month} ${account} ${objects} ${formatAmount(sum)}\r\n`);
  }
  // Pass 2: the same vouchers, written.
  let n = 0;
  for (const v of vouchers(targetBytes)) {
    if (n++ >= count) break;
    await write(voucherText(v));
  }
  await write("");
  out.end(iconv.encode(pending, "cp437"));
  await once(out, "finish");
  log(`${count} vouchers`);
}
