import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLedger, type SieLedger } from "@/server/sie";
import type { SandboxServer } from "./server";
import { apiClient, connect, start } from "./testing/helpers";

// The SIE export at /3/sie/{1..4} as Fortnox writes it (docs/fortnox-api.md §3, docs/sie.md), read back with our real engine.

let s: SandboxServer;
let medium: ReturnType<typeof apiClient>;
let small: ReturnType<typeof apiClient>;
const MEDIUM = 2345678;

beforeAll(async () => {
  s = await start({ currentYear: 2025, vouchers: { [MEDIUM]: 3000 } });
  medium = apiClient(s.url, (await connect(s.url, { tenantId: MEDIUM })).access_token);
  small = apiClient(s.url, (await connect(s.url)).access_token);
});
afterAll(() => s.close());

async function sieBytes(api: ReturnType<typeof apiClient>, path: string): Promise<Buffer> {
  const res = await api.call(path);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}
const lines = (b: Buffer) => iconv.decode(b, "cp437").split("\r\n");

describe("SIE 4 bytes", () => {
  let bytes: Buffer;
  let ledger: SieLedger;
  beforeAll(async () => {
    bytes = await sieBytes(medium, "sie/4?financialyear=8");
    ledger = await buildLedger(bytes);
  });

  it("are CP437 (PC8), not UTF-8: å is 0x86", async () => {
    expect(ledger.encoding).toBe("cp437");
    expect(bytes.includes(Buffer.from("#FORMAT PC8\r\n"))).toBe(true);
    expect(bytes.includes(iconv.encode('"Ackumulerade avskrivningar på', "cp437"))).toBe(true);
    expect(bytes.includes(Buffer.from("på", "utf8"))).toBe(false);
    expect(ledger.accounts.find((a) => a.number === "1019")?.name).toBe("Ackumulerade avskrivningar på utvecklingsutgifter");
    expect(ledger.company.name).toBe("Nordisk Bygg & Projekt AB");
  });

  it("end every line in CRLF", () => {
    const lf = [...bytes.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i);
    expect(lf.length).toBeGreaterThan(1000);
    expect(lf.every((i) => bytes[i - 1] === 0x0d)).toBe(true);
    expect(bytes.subarray(-2).toString("latin1")).toBe("\r\n");
  });

  it("open with #FLAGGA 0 and a bare #KSUMMA, close with a CRC-32 that checks out", () => {
    expect(bytes.subarray(0, 20).toString("latin1")).toBe("#FLAGGA 0\r\n#KSUMMA\r\n");
    expect(lines(bytes).at(-2)).toMatch(/^#KSUMMA \d+$/);
    expect(ledger.ksumma).toBe("valid");
    expect(ledger.warnings).toEqual([]);
    expect(ledger.findings).toEqual([]);
  });

  it("a changed byte breaks the checksum (the checksum really covers the content)", async () => {
    const at = bytes.indexOf(Buffer.from("#TRANS 1510"));
    const copy = Buffer.from(bytes);
    copy[at + 8] = "2".charCodeAt(0); // account 1510 → 1520
    expect((await buildLedger(copy)).ksumma).toBe("invalid");
  });

  it("write empty transaction dates as \"\" and carry the company's header", async () => {
    const all = lines(bytes);
    const trans = all.filter((l) => l.startsWith("#TRANS "));
    expect(trans.length).toBeGreaterThan(3000);
    expect(trans.every((l) => /^#TRANS \d{4} \{[^}]*\} -?\d+\.\d\d "" /.test(l))).toBe(true);
    expect(all).toContain("#SIETYP 4");
    expect(all).toContain(`#FNR ${MEDIUM}`);
    expect(all).toContain("#RAR 0 20250101 20251231");
    expect(all).toContain("#RAR -1 20240101 20241231");
    expect(all.find((l) => l.startsWith("#GEN "))).toMatch(/^#GEN \d{8} "Erik Öberg"$/);
    const info = (await medium.get("companyinformation")).body.CompanyInformation;
    expect(ledger.company.orgNr).toBe(info.OrganizationNumber);
    expect(ledger.company.name).toBe(info.CompanyName);
  });

  it("write corrections as #RTRANS + #TRANS twin and #BTRANS, signed with the user's name", () => {
    const all = lines(bytes);
    const r = all.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("#RTRANS "));
    const b = all.filter((l) => l.startsWith("#BTRANS "));
    expect(r.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    for (const [l, i] of r) {
      expect(l).toMatch(/ "Erik Öberg"$/);
      // The twin: the same row as #TRANS, dated the voucher's day ("") rather than the correction's, without the sign.
      const m = /^#RTRANS (.*\}) (\S+) (\d{8}) (.*) "Erik Öberg"$/.exec(l)!;
      expect(all[i + 1]).toBe(`#TRANS ${m[1]} ${m[2]} "" ${m[4]}`);
      const voucherDay = all.slice(0, i).findLast((x) => x.startsWith("#VER "))!.split(" ")[3];
      expect(m[3] > voucherDay).toBe(true);
    }
    for (const l of b) expect(l).toMatch(/ "Erik Öberg"$/);
    // The engine keeps both as corrections and counts the twin once.
    const corrections = ledger.vouchers.flatMap((v) => v.corrections);
    expect(corrections.filter((c) => c.kind === "added")).toHaveLength(r.length);
    expect(corrections.filter((c) => c.kind === "removed")).toHaveLength(b.length);
    expect(corrections.every((c) => c.sign === "Erik Öberg")).toBe(true);
    expect(ledger.transactionCount).toBe(all.filter((l) => l.startsWith("#TRANS ")).length);
  });

  it("carry cost centres and projects as objects of dimensions 1 and 6", () => {
    expect(ledger.dimensions.map((d) => d.dim).sort()).toEqual(["1", "6"]);
    expect(ledger.objects.filter((o) => o.dim === "6").map((o) => o.object)).toEqual(["P101", "P102", "P103", "P104"]);
    const rows = ledger.vouchers.flatMap((v) => v.rows);
    expect(rows.some((r) => r.objects.some((o) => o.dim === "1"))).toBe(true);
    expect(rows.some((r) => r.objects.some((o) => o.dim === "6"))).toBe(true);
  });
});

describe("SIE types 1–4", () => {
  const labels = (b: Buffer) => new Set(lines(b).map((l) => l.split(" ")[0]).filter((x) => x.startsWith("#")));

  it("1: year balances; 2: + period balances; 3: + objects; 4: + vouchers", async () => {
    const got = await Promise.all([1, 2, 3, 4].map(async (t) => labels(await sieBytes(medium, `sie/${t}`))));
    for (const [i, set] of got.entries()) {
      for (const l of ["#FLAGGA", "#KSUMMA", "#SIETYP", "#RAR", "#KONTO", "#SRU", "#IB", "#UB", "#RES"]) expect(set.has(l), `type ${i + 1} ${l}`).toBe(true);
    }
    const [t1, t2, t3, t4] = got;
    expect(t1.has("#PSALDO")).toBe(false);
    expect(t1.has("#VER")).toBe(false);
    expect(t2.has("#PSALDO")).toBe(true);
    expect(t2.has("#OBJEKT")).toBe(false);
    expect(t2.has("#VER")).toBe(false);
    expect(t3.has("#OBJEKT")).toBe(true);
    expect(t3.has("#VER")).toBe(false);
    expect(t4.has("#VER")).toBe(true);
    expect(t4.has("#TRANS")).toBe(true);
  });

  it("every type passes the engine's checksum; SIETYP says which", async () => {
    for (const t of [1, 2, 3, 4]) {
      const l = await buildLedger(await sieBytes(small, `sie/${t}?financialyear=2`));
      expect(l.ksumma, `type ${t}`).toBe("valid");
      expect(l.company.sieType).toBe(String(t));
    }
  });

  it("?financialyear= picks the year; an unknown type or year is refused", async () => {
    const prev = lines(await sieBytes(small, "sie/4?financialyear=1"));
    expect(prev).toContain("#RAR 0 20240101 20241231");
    expect(prev.some((l) => l.startsWith("#RAR -1"))).toBe(false);
    expect((await small.call("sie/5")).status).toBe(400);
    expect((await small.call("sie/4?financialyear=99")).status).toBe(400);
  });

  it("is served as bytes with a configurable Content-Type (UNCONFIRMED in Fortnox's docs)", async () => {
    const res = await small.call("sie/4");
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.se"/);
    await res.arrayBuffer();
    const other = await start({ sieContentType: "text/plain; charset=cp437" });
    try {
      const r = await apiClient(other.url, (await connect(other.url)).access_token).call("sie/1");
      expect(r.headers.get("content-type")).toBe("text/plain; charset=cp437");
      await r.arrayBuffer();
    } finally {
      await other.close();
    }
  });
});

describe("SIE download as Fortnox answers it", () => {
  it("refuses a JSON Accept with 1000030 by default; SANDBOX_SIE_ACCEPT_JSON=tolerate sends the file anyway", async () => {
    const json = { headers: { accept: "application/json" } };
    const refused = await small.call("sie/4", json);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ ErrorInformation: { error: 1, message: "Invalid response type (Accept)", code: 1000030 } });
    for (const accept of ["*/*", "application/octet-stream", ""]) {
      const ok = await small.call("sie/1", { headers: { accept } });
      expect(ok.status, accept).toBe(200);
      await ok.arrayBuffer();
    }
    const { optionsFromEnv } = await import("./options");
    expect(optionsFromEnv({ SANDBOX_SIE_ACCEPT_JSON: "tolerate" }).sieAcceptJson).toBe("tolerate");
    expect(optionsFromEnv({}).sieAcceptJson).toBeUndefined();
    const tolerant = await start({ sieAcceptJson: "tolerate" });
    try {
      const r = await apiClient(tolerant.url, (await connect(tolerant.url)).access_token).call("sie/1", json);
      expect(r.status).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).subarray(0, 9).toString()).toBe("#FLAGGA 0");
    } finally {
      await tolerant.close();
    }
  });

  it("the first-byte delay fault holds the answer, headers included, and every SIE request is counted", async () => {
    const { control } = await import("./testing/helpers");
    const before = (await control(s.url, "state")).body.requests.sie as number;
    await control(s.url, "faults", { tenantId: 1234567, sieFirstByteDelaySeconds: 1.2 });
    try {
      const t0 = Date.now();
      const res = await small.call("sie/1");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_100);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      // Other endpoints are not delayed.
      const t1 = Date.now();
      expect((await small.get("financialyears")).status).toBe(200);
      expect(Date.now() - t1).toBeLessThan(1_000);
    } finally {
      await control(s.url, "faults", { tenantId: 1234567, sieFirstByteDelaySeconds: null });
    }
    await (await small.call("sie/4", { headers: { accept: "application/json" } })).arrayBuffer();
    const state = (await control(s.url, "state")).body;
    expect(state.requests.sie - before).toBe(2);
    expect(state.faultsInjected.sieFirstByteDelay).toBe(1);
  });
});
