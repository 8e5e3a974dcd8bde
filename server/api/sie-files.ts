import "server-only";
import { logActivity } from "@/server/activity/log";
import { badRequest } from "@/server/errors";
import { adjustmentsSie4I } from "@/server/export/adjustment-export";
import { MAX_SIE_BYTES } from "@/lib/upload-limits";
import { startSieImport } from "@/server/import/project-imports";
import { bodyChunks, errorResponse, fileNameHeader, projectContext, type ContextOf } from "./route-access";
import type { TRPCContext } from "./trpc";

// SIE files in and out: too large for tRPC's JSON, so plain route handlers stream them, under the same rules as a
// procedure (route-access.ts). In: a year to import. Out: the adjustments as SIE 4I for another program.

export async function handleSieUpload(req: Request, projectId: string, contextOf: ContextOf): Promise<Response> {
  let base: TRPCContext | null = null;
  try {
    base = await contextOf();
    const { ctx, scope } = await projectContext(base, req, projectId, true);
    const fileName = fileNameHeader(req, "fil.se");
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_SIE_BYTES) throw badRequest("sieTooLarge", { mb: MAX_SIE_BYTES / 1024 / 1024 });
    if (!req.body) throw badRequest("sieNotSie");
    const job = await startSieImport(ctx.db, scope, fileName, bodyChunks(req.body));
    await logActivity(ctx.db, { ...scope, action: "import.started", outcome: "info", details: { source: "sie", fileName } });
    return Response.json({ jobId: job.id }, { status: 202 });
  } catch (err) {
    return errorResponse(err, base, "SIE upload");
  }
}

/** The selected adjustments as a SIE 4I file (GET …/adjustments-sie?ids=a,b; no ids: every adjustment not exported). */
export async function handleAdjustmentsSie(req: Request, projectId: string, contextOf: ContextOf): Promise<Response> {
  let base: TRPCContext | null = null;
  try {
    base = await contextOf();
    const { ctx, scope } = await projectContext(base, req, projectId, false);
    const raw = new URL(req.url).searchParams.get("ids");
    const ids = raw ? raw.split(",").filter((id) => /^[0-9a-f-]{36}$/.test(id)) : null;
    const file = await adjustmentsSie4I(ctx.db, scope, ids);
    await logActivity(ctx.db, { ...scope, action: "export.sieDownloaded", outcome: "success", details: { vouchers: file.count } });
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="justeringar.se"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    return errorResponse(err, base, "SIE download");
  }
}
