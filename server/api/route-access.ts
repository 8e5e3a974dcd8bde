import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { badRequest } from "@/server/errors";
import { getMembership } from "@/server/firms/user-firm";
import { projectAccess } from "./access";
import { toTRPCError } from "./errors";
import { isSameOriginWrite } from "./same-origin";
import type { TRPCContext } from "./trpc";

// Route handlers for what does not fit tRPC's JSON (file uploads and downloads) follow the same rules as a
// procedure: signed in, member of a firm, the data resolved through the firm-scoped helpers, errors translated.

/** How a route handler gets the request's context (server/api/context.ts createRequestContext); tests pass their own. */
export type ContextOf = () => Promise<TRPCContext>;

/** The signed-in member's firm; a write not from the app's own pages (server/api/same-origin.ts) is refused outright. */
export async function firmContext(ctx: TRPCContext, req: Request, write: boolean) {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "unauthorized" });
  if (write && !isSameOriginWrite(req)) throw new TRPCError({ code: "FORBIDDEN", message: "crossSiteRefused" });
  const membership = await getMembership(ctx.db, ctx.userId);
  if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "noFirm" });
  return { ...ctx, userId: ctx.userId, firmId: membership.firmId };
}

/**
 * A route under /api/projects/:projectId: the firm as above, then the project checked exactly as projectProcedure
 * checks it (access.ts), with the same ProjectScope for the domain calls.
 */
export async function projectContext(base: TRPCContext, req: Request, projectId: string, write: boolean) {
  const ctx = await firmContext(base, req, write);
  return { ctx, ...(await projectAccess(ctx, projectId)) };
}

/** A translated JSON error (with where the user can fix it: server/errors.ts), never a stack trace. */
export function errorResponse(err: unknown, ctx: TRPCContext | null, what: string) {
  const e = toTRPCError(err, ctx?.locale ?? "sv");
  if (e.code === "INTERNAL_SERVER_ERROR") console.error(`${what}:`, err instanceof Error ? err.message : err);
  return Response.json({ message: e.message, messageKey: e.messageKey, fix: e.fix }, { status: getHTTPStatusCodeFromError(e) });
}

/** A request body as chunks, for streaming into storage. */
export async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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

/**
 * The file's name from x-file-name (percent-encoded by the page, as headers carry only ASCII). A name that does not
 * decode, holds control characters or is longer than a file system allows is the sender's mistake: a 400 that says
 * so, before anything is stored.
 */
export function fileNameHeader(req: Request, fallback: string): string {
  const raw = req.headers.get("x-file-name");
  if (!raw) return fallback;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw badRequest("fileNameInvalid");
  }
  if (!name.trim() || name.length > 255 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) throw badRequest("fileNameInvalid");
  return name;
}
