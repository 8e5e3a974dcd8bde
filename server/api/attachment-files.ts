import "server-only";
import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { MAX_ATTACHMENT_BYTES } from "@/lib/upload-limits";
import { openAttachment, uploadAttachment, type AttachmentTarget } from "@/server/closing/attachments";
import { contentDisposition, CONTENT_TYPE, PREVIEWABLE } from "@/server/closing/file-types";
import { badRequest } from "@/server/errors";
import { bodyChunks, errorResponse, fileNameHeader, projectContext, type ContextOf } from "./route-access";
import type { TRPCContext } from "./trpc";

// Attachment bytes do not fit tRPC's JSON: plain route handlers stream them in and out, with the same rules as a
// procedure (server/api/route-access.ts) and safe response headers.

const targetQuery = z.union([
  z.object({ account: z.string().trim().min(1).max(20) }),
  z.object({ adjustmentId: z.uuid() }),
]);

/** POST …/attachments?account=1510 (or ?adjustmentId=…), the file as the body, its name in x-file-name. */
export async function handleAttachmentUpload(req: Request, projectId: string, contextOf: ContextOf): Promise<Response> {
  let base: TRPCContext | null = null;
  try {
    base = await contextOf();
    const { ctx, scope } = await projectContext(base, req, projectId, true);
    const q = Object.fromEntries(new URL(req.url).searchParams);
    const parsed = targetQuery.safeParse(q.adjustmentId ? { adjustmentId: q.adjustmentId } : { account: q.account });
    if (!parsed.success) throw badRequest("invalidInput");
    const target = parsed.data as AttachmentTarget;
    const fileName = fileNameHeader(req, "");
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_ATTACHMENT_BYTES) throw badRequest("attachmentTooLarge", { name: fileName, mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
    if (!req.body) throw badRequest("attachmentEmpty", { name: fileName });
    const a = await uploadAttachment(ctx.db, scope, target, fileName, bodyChunks(req.body));
    await logActivity(ctx.db, {
      ...scope, action: "attachment.uploaded", outcome: "success",
      details: { fileName: a.fileName, ...("account" in target ? { account: target.account } : { adjustmentId: target.adjustmentId }) },
    });
    return Response.json({ id: a.id, fileName: a.fileName, kind: a.kind, size: a.size }, { status: 201 });
  } catch (err) {
    return errorResponse(err, base, "attachment upload");
  }
}

/**
 * GET …/attachments/:id — a download, or with ?inline=1 a preview of a PDF or an image. The Content-Type comes from
 * the checked kind; nosniff and a CSP that allows nothing keep a crafted file from running anything in our origin.
 */
export async function handleAttachmentDownload(req: Request, projectId: string, attachmentId: string, contextOf: ContextOf): Promise<Response> {
  let base: TRPCContext | null = null;
  try {
    base = await contextOf();
    const { ctx, scope } = await projectContext(base, req, projectId, false);
    if (!z.uuid().safeParse(attachmentId).success) throw badRequest("invalidInput");
    const { attachment, kind, bytes } = await openAttachment(ctx.db, scope.firmId, scope.projectId, attachmentId);
    const inline = new URL(req.url).searchParams.get("inline") === "1" && PREVIEWABLE.has(kind);
    const iterator = bytes[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.(undefined);
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {
        "Content-Type": CONTENT_TYPE[kind],
        "Content-Length": String(attachment.size),
        "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", attachment.fileName),
        "X-Content-Type-Options": "nosniff",
        // Previews are framed by our own pages only; nothing inside may load or run anything.
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; frame-ancestors 'self'; sandbox",
        "X-Frame-Options": "SAMEORIGIN",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer",
      },
    });
  } catch (err) {
    return errorResponse(err, base, "attachment download");
  }
}
