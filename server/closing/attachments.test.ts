import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { handleAttachmentDownload, handleAttachmentUpload } from "@/server/api/attachment-files";
import type { TRPCContext } from "@/server/api/trpc";
import { dbTargets } from "@/server/testing/db";
import { docxBytes, ole2Bytes, pdfBytes, pngBytes, xlsxBytes } from "@/server/testing/files";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import { adjustmentExportSource, lockForExport, markExported } from "./adjustments-for-export";

// Attachments through the route handlers (upload, download) and the router (list, link, unlink, delete), with
// the same access rules as any procedure: signed in, member of the firm that owns the project.

type F = Awaited<ReturnType<typeof firmWithData>>;
const BASE = "http://app.test";

describe.each(dbTargets())("attachments on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: F;
  let b: F;
  let projectId: string;

  const ctx = (f: F | null, locale: "sv" | "en" = "sv") => async (): Promise<TRPCContext> => ({ db, userId: f?.user.id ?? null, locale });
  function upload(f: F | null, query: string, name: string, bytes: Uint8Array, opts: { origin?: string; length?: boolean; project?: string } = {}) {
    const headers: Record<string, string> = { "x-file-name": encodeURIComponent(name), "content-type": "application/octet-stream" };
    // The app's own page sends its Origin; a write without one is refused (server/api/same-origin.ts).
    headers.origin = opts.origin ?? BASE;
    if (opts.length !== false) headers["content-length"] = String(bytes.length);
    // A streamed body, as a browser sends it.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
        c.close();
      },
    });
    const req = new Request(`${BASE}/api/projects/${opts.project ?? projectId}/attachments?${query}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    return handleAttachmentUpload(req, opts.project ?? projectId, ctx(f));
  }
  const download = (f: F | null, id: string, query = "", project = projectId) =>
    handleAttachmentDownload(new Request(`${BASE}/api/projects/${project}/attachments/${id}${query}`), project, id, ctx(f));
  const stored = async () => {
    const [r] = resultRows<{ att: unknown; blobs: unknown; links: unknown }>(
      await db.execute(sql`select (select count(*) from attachments where project_id = ${projectId}) as att,
        (select count(*) from blobs where firm_id = ${a.firm.id}) as blobs,
        (select count(*) from attachment_links where project_id = ${projectId}) as links`),
    );
    return { attachments: toNumber(r.att), blobs: toNumber(r.blobs), links: toNumber(r.links) };
  };

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "att", DEMO_ORG_NR);
    b = await firmWithData(db, "att-b", "2120000142");
    projectId = a.project.id;
    await importSie(db, { firmId: a.firm.id, projectId, userId: a.user.id }, demoSieBytes({ vouchers: 150 }));
  });
  afterAll(() => handle?.close());

  it("uploads a PDF onto 1510, lists it in the schedule and serves it inline with safe headers", async () => {
    const pdf = pdfBytes();
    const res = await upload(a, "account=1510", "Kundreskontra 2025-12-31.pdf", pdf);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const list = await a.caller.attachment.list({ projectId, target: { account: "1510" } });
    expect(list).toEqual([expect.objectContaining({ id, fileName: "Kundreskontra 2025-12-31.pdf", kind: "pdf", size: pdf.length, previewable: true, accounts: ["1510"], uploadedByName: a.user.name })]);
    // Uploading is work on the schedule: it is in progress now.
    expect((await a.caller.schedule.get({ projectId, account: "1510" })).status).toBe("in_progress");
    const tb = await a.caller.reconciliation.trialBalance({ projectId });
    const receivables = tb.balance[0].children[1].children.find((c) => c.key === "shortTermReceivables")!;
    expect(receivables.groups[0].accounts.find((x) => x.number === "1510")!.attachmentCount).toBe(1);

    const inline = await download(a, id, "?inline=1");
    expect(inline.status).toBe(200);
    expect(inline.headers.get("content-type")).toBe("application/pdf");
    expect(inline.headers.get("content-disposition")).toMatch(/^inline; filename="Kundreskontra 2025-12-31.pdf"/);
    expect(inline.headers.get("x-content-type-options")).toBe("nosniff");
    expect(inline.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(inline.headers.get("cache-control")).toContain("no-store");
    expect(new Uint8Array(await inline.arrayBuffer())).toEqual(pdf);
    const plain = await download(a, id);
    expect(plain.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("never serves anything but PDF and images inline, and Office files with their own types", async () => {
    const res = await upload(a, "account=1930", "Lånespecifikation.docx", docxBytes());
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const r = await download(a, id, "?inline=1");
    expect(r.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="Lanespecifikation.docx"; filename\*=UTF-8''L%C3%A5nespecifikation.docx$/);
    for (const [name, bytes] of [["saldo.xlsx", xlsxBytes()], ["gammal.doc", ole2Bytes()], ["gammal.xls", ole2Bytes()], ["kvitto.png", pngBytes()], ["lista.csv", new TextEncoder().encode("Konto;Belopp\n1930;100\n")]] as const) {
      expect((await upload(a, "account=1930", name, bytes)).status, name).toBe(201);
    }
    const kinds = (await a.caller.attachment.list({ projectId, target: { account: "1930" } })).map((x) => x.kind).sort();
    expect(kinds).toEqual(["csv", "doc", "docx", "png", "xls", "xlsx"]);
  });

  it("refuses disguised, unknown, empty and oversized files with a translated message, and keeps nothing", async () => {
    const before = await stored();
    const cases: [string, Uint8Array, string, object?][] = [
      ["faktura.pdf", pngBytes(), "attachmentMismatch"],
      ["bild.png", pdfBytes(), "attachmentMismatch"],
      ["foto.jpg", pngBytes(), "attachmentMismatch"],
      ["avtal.docx", xlsxBytes(), "attachmentMismatch"],
      ["saldo.xlsx", docxBytes(), "attachmentMismatch"],
      ["avtal.docx", pdfBytes(), "attachmentMismatch"],
      ["gammal.doc", docxBytes(), "attachmentMismatch"],
      ["anteckning.txt", new TextEncoder().encode("<!DOCTYPE html><script>alert(1)</script>"), "attachmentMismatch"],
      ["sida.html", new TextEncoder().encode("<html></html>"), "attachmentType"],
      ["logga.svg", new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"), "attachmentType"],
      ["program.exe", new Uint8Array([0x4d, 0x5a, 0, 0]), "attachmentType"],
      ["tom.pdf", new Uint8Array(0), "attachmentEmpty"],
    ];
    for (const [name, bytes, key] of cases) {
      const res = await upload(a, "account=1930", name, bytes);
      expect(res.status, name).toBe(400);
      expect(await res.json(), name).toMatchObject({ messageKey: key });
    }
    const mismatch = await (await upload(a, "account=1930", "faktura.pdf", pngBytes())).json();
    expect(mismatch.message).toBe("Innehållet i faktura.pdf är inte en PDF-fil. Filen sparades inte; kontrollera att filändelsen stämmer.");
    const en = await handleAttachmentUpload(
      new Request(`${BASE}/api/projects/${projectId}/attachments?account=1930`, { method: "POST", headers: { "x-file-name": "x.pdf", origin: BASE }, body: pngBytes() as unknown as BodyInit }),
      projectId,
      ctx(a, "en"),
    );
    expect((await en.json()).message).toBe("The content of x.pdf is not a PDF file. The file was not saved; check that its extension is right.");

    // Over 10 MB: refused by its declared length, and when streamed without one, as soon as it passes the limit.
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(pdfBytes());
    for (const length of [true, false]) {
      const res = await upload(a, "account=1930", "stor.pdf", big, { length });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ messageKey: "attachmentTooLarge" });
    }
    const exact = new Uint8Array(10 * 1024 * 1024);
    exact.set(pdfBytes());
    const ok = await upload(a, "account=1920", "exakt-10-MB.pdf", exact);
    expect(ok.status).toBe(201);
    expect(await stored()).toEqual({ attachments: before.attachments + 1, blobs: before.blobs + 1, links: before.links + 1 });
    await a.caller.attachment.delete({ projectId, attachmentId: ((await ok.json()) as { id: string }).id });
    expect(await stored()).toEqual(before);
  });

  it("holds at most 12 files per schedule, counted over the schedule's accounts", async () => {
    await a.caller.schedule.addAccount({ projectId, account: "2440", add: "2640" });
    for (let i = 0; i < 12; i++) {
      expect((await upload(a, `account=${i % 2 ? "2440" : "2640"}`, `underlag-${i}.png`, pngBytes())).status).toBe(201);
    }
    const res = await upload(a, "account=2440", "nummer-13.png", pngBytes());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ messageKey: "attachmentTooMany" });
    expect(await a.caller.attachment.list({ projectId, target: { account: "2640" } })).toHaveLength(12);
    // Linking one more is refused the same way.
    const [other] = await a.caller.attachment.list({ projectId, target: { account: "1510" } });
    await expect(a.caller.attachment.link({ projectId, attachmentId: other.id, target: { account: "2440" } })).rejects.toMatchObject({ messageKey: "attachmentTooMany" });
  });

  it("links one attachment to several accounts; removing it from the last one deletes it and its bytes", async () => {
    const res = await upload(a, "account=1630", "Skattekonto december.pdf", pdfBytes("Skattekonto"));
    const { id } = (await res.json()) as { id: string };
    await a.caller.attachment.link({ projectId, attachmentId: id, target: { account: "2510" } });
    await a.caller.attachment.link({ projectId, attachmentId: id, target: { account: "2510" } }); // twice is once
    expect((await a.caller.attachment.list({ projectId, target: { account: "2510" } }))[0]).toMatchObject({ id, accounts: ["1630", "2510"] });
    expect((await a.caller.attachment.projectList({ projectId })).map((x) => x.id)).toContain(id);
    const before = await stored();
    await a.caller.attachment.unlink({ projectId, attachmentId: id, target: { account: "1630" } });
    expect(await a.caller.attachment.list({ projectId, target: { account: "1630" } })).toEqual([]);
    expect((await download(a, id)).status).toBe(200);
    await a.caller.attachment.unlink({ projectId, attachmentId: id, target: { account: "2510" } });
    expect(await stored()).toEqual({ attachments: before.attachments - 1, blobs: before.blobs - 1, links: before.links - 2 });
    expect((await download(a, id)).status).toBe(404);
    await expect(a.caller.attachment.link({ projectId, attachmentId: id, target: { account: "1630" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("attaches files to an adjustment, which the exporter sees; exported ones and signed-off schedules take no more", async () => {
    const adj = await a.caller.adjustment.create({ projectId, voucher: { date: "2025-12-31", text: "Upplupen revision", kind: "auditFee", rows: [{ account: "6420", amountOre: 2_500_000 }, { account: "2991", amountOre: -2_500_000 }] } });
    const res = await upload(a, `adjustmentId=${adj.id}`, "Offert revision.pdf", pdfBytes());
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: adj.id })).attachmentIds).toEqual([id]);
    expect((await a.caller.attachment.list({ projectId, target: { adjustmentId: adj.id } }))[0]).toMatchObject({ id, adjustmentNumbers: [adj.number], accounts: [] });
    // The exporter gets the file with its bytes.
    const [sent] = await adjustmentExportSource(db, projectId).loadVouchers([adj.id]);
    expect(sent.attachments.map((x) => [x.id, x.fileName, x.contentType])).toEqual([[id, "Offert revision.pdf", "application/pdf"]]);
    expect(await sent.attachments[0].read()).toEqual(pdfBytes());
    await lockForExport(db, projectId, adj.id, "job-x");
    await markExported(db, projectId, adj.id, { series: "Ö", number: 1 });
    const late = await upload(a, `adjustmentId=${adj.id}`, "sen.pdf", pdfBytes());
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ messageKey: "adjustmentExported" });
    await expect(a.caller.attachment.delete({ projectId, attachmentId: id })).rejects.toMatchObject({ code: "CONFLICT" });

    const ub = (await a.caller.schedule.get({ projectId, account: "1910" })).adjustedOre;
    await a.caller.schedule.saveRows({ projectId, account: "1910", rows: [{ text: "Kassa", amountOre: ub }] });
    await a.caller.schedule.signOff({ projectId, account: "1910" });
    const onSigned = await upload(a, "account=1910", "kassa.pdf", pdfBytes());
    expect(onSigned.status).toBe(409);
    expect(await onSigned.json()).toMatchObject({ messageKey: "scheduleSignedOff" });
  });

  it("another firm, a signed-out user and another site get nothing and change nothing", async () => {
    const [one] = await a.caller.attachment.list({ projectId, target: { account: "1510" } });
    const before = await stored();
    expect((await download(b, one.id)).status).toBe(404);
    expect((await download(b, one.id, "", b.project.id)).status).toBe(404);
    expect((await download(null, one.id)).status).toBe(401);
    expect((await upload(b, "account=1510", "x.pdf", pdfBytes())).status).toBe(404);
    expect((await upload(null, "account=1510", "x.pdf", pdfBytes())).status).toBe(401);
    expect((await upload(a, "account=1510", "x.pdf", pdfBytes(), { origin: "https://evil.example" })).status).toBe(403);
    expect((await upload(a, "account=9", "x.pdf", pdfBytes())).status).toBe(404);
    expect((await upload(a, "adjustmentId=not-a-uuid", "x.pdf", pdfBytes())).status).toBe(400);
    await expect(b.caller.attachment.list({ projectId, target: { account: "1510" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.caller.attachment.delete({ projectId: b.project.id, attachmentId: one.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await stored()).toEqual(before);
  });
});
