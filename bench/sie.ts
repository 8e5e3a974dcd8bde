// `npm run -s bench -- sie [--mb 100] [--mode stream|iterate|summary] [--chunk KiB] [--regenerate]`
//
// Generates (once, cached in bench/out/) a realistic SIE 4 file of about --mb MB in CP437 — chart of accounts,
// dimensions and objects, IB/UB/RES/PSALDO that agree with the vouchers, and many #VER with #TRANS rows, some
// #RTRANS/#BTRANS corrections — then parses it from a file stream with the streaming engine in a child process,
// so that the peak RSS it reports belongs to parsing alone. Ends with one JSON line on stdout:
// {"mb": …, "seconds": …, "mbPerSecond": …, "peakRssMb": …} in MB of 10^6 bytes. Progress goes to stderr.
//
// Modes: `stream` (default) is what an importer does: parseSieStream with whole vouchers delivered to onVoucher.
// `iterate` is the same through the async iterator readSie. `summary` is the CLI's aggregate-only pass.
import { fork } from "node:child_process";
import { once } from "node:events";
import { createReadStream, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { aggregateSie, parseSieStream, readSie, type SieStreamResult } from "../server/sie";
import { ensureFile } from "./sie-file";

const MB = 1e6;
const log = (s: string) => process.stderr.write(s + "\n");

const MODES = ["stream", "iterate", "summary"] as const;
interface Options { mb: number; mode: (typeof MODES)[number]; chunkKiB: number; regenerate: boolean; parse: string | null }

function options(args: string[]): Options {
  const o: Options = { mb: 100, mode: "stream", chunkKiB: 64, regenerate: false, parse: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--mb") o.mb = Number(args[++i]);
    else if (a === "--mode") {
      const mode = MODES.find((m) => m === args[i + 1]);
      if (!mode) throw new Error(`--mode must be one of ${MODES.join(", ")}`);
      o.mode = mode;
      i++;
    }
    else if (a === "--chunk") o.chunkKiB = Number(args[++i]);
    else if (a === "--regenerate") o.regenerate = true;
    else if (a === "--parse") o.parse = args[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.mb > 0) || !(o.chunkKiB > 0)) throw new Error("--mb and --chunk must be positive numbers");
  return o;
}

export async function run(args: string[]): Promise<void> {
  const o = options(args);
  if (o.parse) return parseChild(o.parse, o);
  const file = await ensureFile(o.mb, o.regenerate);
  log(`parsing ${path.relative(process.cwd(), file)} (${(statSync(file).size / MB).toFixed(1)} MB, mode ${o.mode}) in a child process…`);
  const indexTs = path.join(path.dirname(fileURLToPath(import.meta.url)), "index.ts");
  const child = fork(indexTs, ["sie", "--parse", file, "--mode", o.mode, "--chunk", String(o.chunkKiB)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`the parsing child exited with ${code}`);
}

// ---------------------------------------------------------------- parsing (child process)

/**
 * CPU seconds of the main thread alone (Linux): the parser's own cost, without the file-reading and GC helper
 * threads and unaffected by other processes on a shared machine. Null where /proc is not available.
 */
function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

async function parseChild(file: string, o: Options): Promise<void> {
  const bytes = statSync(file).size;
  let vouchers = 0, rows = 0, corrections = 0, records = 0;
  const cpu0 = process.cpuUsage(), main0 = mainThreadCpuSeconds(), elu0 = performance.eventLoopUtilization();
  const t0 = process.hrtime.bigint();
  const source = createReadStream(file, { highWaterMark: o.chunkKiB * 1024 });
  let r: SieStreamResult | null = null;
  if (o.mode === "summary") r = await aggregateSie(source);
  else if (o.mode === "stream") r = await parseSieStream(source, {
    onRecord: () => { records++; },
    onVoucher: (v) => { vouchers++; rows += v.rows.length; corrections += v.corrections.length; },
  });
  else for await (const item of readSie(source)) {
    if (item.kind === "record") records++;
    else if (item.kind === "voucher") { vouchers++; rows += item.voucher.rows.length; corrections += item.voucher.corrections.length; }
    else r = item.result;
  }
  if (!r) throw new Error("the parse ended without a result");
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0), main1 = mainThreadCpuSeconds();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6; // on a shared machine, wall time also counts others' work
  const mainSeconds = main0 !== null && main1 !== null ? main1 - main0 : null;
  const waitedForInput = performance.eventLoopUtilization(elu0).idle / 1000; // the parser waiting for chunks
  const peakRssMb = (process.resourceUsage().maxRSS * 1024) / MB; // maxRSS is in KiB
  log(`encoding ${r.encoding}, ${r.voucherCount} vouchers, ${r.transactionCount} effective rows, ` +
    (o.mode !== "summary" ? `${vouchers} vouchers / ${rows} rows / ${corrections} corrections / ${records} records delivered, ` : "") +
    `${r.warnings.length + r.droppedWarnings} warnings, ${r.findings.length + r.droppedFindings} findings`);
  for (const w of [...r.warnings, ...r.findings].slice(0, 5)) log(`  ${w.code}: ${w.message}`);
  const mb = bytes / MB;
  log(`CPU: ${cpuSeconds.toFixed(2)} s in all threads` + (mainSeconds === null ? "" :
    `, ${mainSeconds.toFixed(2)} s in the main thread (${(mb / mainSeconds).toFixed(1)} MB per main-thread CPU second)`) +
    `; ${waitedForInput.toFixed(2)} s waiting for input`);
  const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
  process.stdout.write(JSON.stringify({
    mb: round(mb, 1), seconds: round(seconds, 3), mbPerSecond: round(mb / seconds, 1), peakRssMb: round(peakRssMb, 1),
  }) + "\n");
}
