import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { voucherDescription } from "../data/describe";
import type { EndpointKey } from "../options";
import type { SandboxState, StoredFile } from "../state";
import { type CommitFn, type Guard, jsonBody } from "./bookkeeping";
import { type ApiContext, type ApiEnv, ApiError, apiUrl, listResponse } from "./http";

// Files: upload to the inbox (or archive), then connect the file to a voucher.

export function fileRoutes(state: SandboxState, basePath: string, guard: Guard, commit: CommitFn): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const fileJson = (c: ApiContext, f: StoredFile, endpoint: "inbox" | "archive") => ({
    "@url": apiUrl(c, basePath, `${endpoint}/${f.id}`), Comments: null, Id: f.id, ArchiveFileId: f.archiveFileId, Name: f.name,
    Path: f.path, Size: f.size,
  });

  const upload = (endpoint: "inbox" | "archive") => async (c: ApiContext) => {
    guard(c, endpoint);
    const tenant = c.get("tenant");
    const type = c.req.header("content-type") ?? "";
    if (!type.toLowerCase().startsWith("multipart/form-data")) throw new ApiError(400, 2001392, "Filen måste skickas som multipart/form-data.");
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ApiError(400, 2001392, "Kunde inte läsa multipart-data.");
    }
    const fieldNames = state.runtime.uploadFieldNames ?? ["file"];
    const part = fieldNames.map((n) => form.get(n)).find((p): p is File => typeof p === "object" && p !== null);
    if (!part) throw new ApiError(400, 2001392, `Ingen fil i anropet (fält ${fieldNames.join(" eller ")}).`);
    const folder = c.req.query("path") ?? c.req.query("folderId") ?? (endpoint === "inbox" ? "inbox_v" : "root");
    const bytes = new Uint8Array(await part.arrayBuffer());
    return commit(c, () => {
      const f: StoredFile = {
        id: randomUUID(), archiveFileId: randomUUID(), name: part.name || "fil", path: `${folder}/${part.name || "fil"}`,
        size: bytes.length, bytes, contentType: part.type || "application/octet-stream",
      };
      tenant.files.set(f.id, f);
      state.countFile(tenant.id);
      return c.json({ File: fileJson(c, f, endpoint) }, 201);
    });
  };

  const download = (endpoint: "inbox" | "archive") => (c: ApiContext) => {
    guard(c, endpoint);
    const f = c.get("tenant").files.get(c.req.param("id") ?? "");
    if (!f) throw new ApiError(404, 2000434, "Kan inte hitta filen.");
    return new Response(f.bytes, { headers: { "content-type": f.contentType, "content-length": String(f.size) } });
  };

  app.post("/inbox", upload("inbox"));
  app.post("/archive", upload("archive"));
  app.get("/inbox/:id", download("inbox"));
  // The inbox's root folder, as Fortnox lists it: its files and the voucher inbox (inbox_v) below it.
  app.get("/inbox", (c) => {
    guard(c, "inbox");
    const files = [...c.get("tenant").files.values()].filter((f) => !f.path.startsWith("root/"));
    return c.json({
      Folder: {
        "@url": apiUrl(c, basePath, "inbox"), Id: "inbox", Name: "Inbox",
        Files: files.map((f) => fileJson(c, f, "inbox")), Folders: [{ Id: "inbox_v", Name: "Verifikationer" }],
      },
    });
  });
  app.get("/archive/:id", download("archive"));

  const endpoint: EndpointKey = "voucherfileconnections";
  const connectionJson = (c: ApiContext, x: import("../state").FileConnection) => ({
    "@url": apiUrl(c, basePath, `voucherfileconnections/${x.fileId}`), FileId: x.fileId, Name: x.name,
    VoucherDescription: voucherDescriptionOf(c, x.voucherSeries, x.voucherNumber, x.voucherYear), VoucherNumber: String(x.voucherNumber),
    VoucherSeries: x.voucherSeries, VoucherYear: x.voucherYear,
  });
  const voucherDescriptionOf = (c: ApiContext, series: string, number: number, yearId: number) => {
    const co = c.get("tenant").company;
    const y = co.years.find((x) => x.id === yearId);
    const v = y ? y.findVoucher(co.seriesIndex(series), number) : -1;
    return y && v >= 0 ? voucherDescription(co, y, v) : "";
  };

  app.post("/voucherfileconnections", async (c) => {
    guard(c, endpoint);
    const tenant = c.get("tenant");
    const co = tenant.company;
    const body = (await jsonBody(c)).VoucherFileConnection as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object") throw new ApiError(400, 2001392, "VoucherFileConnection saknas.");
    const file = tenant.files.get(String(body.FileId ?? ""));
    if (!file) throw new ApiError(400, 2000434, "Kan inte hitta filen (FileId).");
    const series = String(body.VoucherSeries ?? "");
    const number = Number(body.VoucherNumber);
    const yearParam = c.req.query("financialyear") ?? (body.VoucherYear != null ? String(body.VoucherYear) : undefined);
    const y = yearParam ? co.years.find((x) => String(x.id) === yearParam) : co.years[co.years.length - 1];
    const s = co.seriesIndex(series);
    if (!y || s < 0 || !Number.isInteger(number) || y.findVoucher(s, number) < 0) {
      throw new ApiError(400, 2000434, "Kan inte hitta verifikationen.");
    }
    if (tenant.connections.some((x) => x.fileId === file.id)) throw new ApiError(400, 2000588, "Filen är redan kopplad till en verifikation.");
    return commit(c, () => {
      const x = { fileId: file.id, name: file.name, voucherSeries: series, voucherNumber: number, voucherYear: y.id };
      tenant.connections.push(x);
      state.countConnection(tenant.id);
      return c.json({ VoucherFileConnection: connectionJson(c, x) }, 201);
    });
  });

  // The search by voucher: voucherseries, vouchernumber, voucheryear (financial year Id).
  app.get("/voucherfileconnections", (c) => {
    guard(c, endpoint);
    const list = c.get("tenant").connections;
    const [series, number, year] = ["voucherseries", "vouchernumber", "voucheryear"].map((k) => c.req.query(k) || null);
    const idx = list
      .map((_, i) => i)
      .filter((i) => (series === null || list[i].voucherSeries === series) && (number === null || String(list[i].voucherNumber) === number) && (year === null || String(list[i].voucherYear) === year));
    return listResponse(c, "VoucherFileConnections", idx, (i) => connectionJson(c, list[i]));
  });
  app.get("/voucherfileconnections/:fileId", (c) => {
    guard(c, endpoint);
    const x = c.get("tenant").connections.find((k) => k.fileId === c.req.param("fileId"));
    // Unknown ids: undocumented; by default a 400 with an ErrorInformation code, as seen in production clients.
    if (!x) throw new ApiError(state.runtime.fileConnectionNotFoundStatus ?? 400, 2000434, "Kan inte hitta kopplingen.");
    return c.json({ VoucherFileConnection: connectionJson(c, x) });
  });

  return app;
}
