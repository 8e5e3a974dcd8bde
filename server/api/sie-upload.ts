import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { logActivity } from "@/server/activity/log";
import { badRequest } from "@/server/errors";
import { getMembership } from "@/server/firms/service";
import { MAX_SIE_BYTES, startSieImport } from "@/server/import/service";
import { requireProject } from "./access";
import { createRequestContext } from "./context";
import { toTRPCError } from "./errors";

// The SIE upload: a file too large for tRPC's JSON, so a plain route handler streams the request body into
// storage. Same rules as a procedure: signed in, member of the firm owning the project, errors translated.

async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function handleSieUpload(req: Request, projectId: string): Promise<Response> {
  const ctx = await createRequestContext();
  try {
    if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "unauthorized" });
    // A browser always sends Origin on a cross-site POST; a request from another site is refused outright.
    const origin = req.headers.get("origin");
    if (origin && origin !== new URL(req.url).origin && origin !== process.env.NEXTAUTH_URL?.replace(/\/$/, "")) {
      throw new TRPCError({ code: "FORBIDDEN", message: "forbidden" });
    }
    const membership = await getMembership(ctx.db, ctx.userId);
    if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "noFirm" });
    const firmCtx = { db: ctx.db, userId: ctx.userId, firmId: membership.firmId };
    const { project } = await requireProject(firmCtx, projectId);
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_SIE_BYTES) throw badRequest("sieTooLarge", { mb: MAX_SIE_BYTES / 1024 / 1024 });
    if (!req.body) throw badRequest("sieNotSie");
    const fileName = decodeURIComponent(req.headers.get("x-file-name") ?? "fil.se");
    const job = await startSieImport(ctx.db, { firmId: membership.firmId, projectId: project.id, userId: ctx.userId }, fileName, bodyChunks(req.body));
    await logActivity(ctx.db, { firmId: membership.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "import.started", outcome: "info", details: { source: "sie", fileName } });
    return Response.json({ jobId: job.id }, { status: 202 });
  } catch (err) {
    const e = toTRPCError(err, ctx.locale);
    if (e.code === "INTERNAL_SERVER_ERROR") console.error("SIE upload:", err instanceof Error ? err.message : err);
    return Response.json({ message: e.message }, { status: getHTTPStatusCodeFromError(e) });
  }
}
