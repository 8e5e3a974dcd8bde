import { logActivity } from "@/server/activity/log";
import { badRequest, DomainError } from "@/server/errors";
import { projectSru } from "@/server/tax/project-tax";
import { errorResponse, projectContext, type ContextOf } from "./route-access";
import type { TRPCContext } from "./trpc";

// The SRU file pair of a project's tax return (server/tax): GET …/sru?file=INFO.SRU or ?file=BLANKETTER.SRU, each
// named exactly so, ISO-8859-1 bytes as writeSru makes them. Checked first (checkSru): while the check finds an
// error nothing is written, and the answer says so in the user's language.

export const SRU_FILES = ["INFO.SRU", "BLANKETTER.SRU"] as const;

export async function handleSruDownload(req: Request, projectId: string, contextOf: ContextOf): Promise<Response> {
  let base: TRPCContext | null = null;
  try {
    base = await contextOf();
    const { ctx, project } = await projectContext(base, req, projectId, false);
    const file = new URL(req.url).searchParams.get("file") ?? "";
    if (!(SRU_FILES as readonly string[]).includes(file)) throw badRequest("taxSruFileUnknown");
    const sru = await projectSru(ctx.db, ctx.firmId, project.id);
    if (!sru) throw new DomainError("PRECONDITION_FAILED", "closingNoImport");
    const errors = sru.problems.filter((p) => p.severity === "error");
    if (errors.length) throw badRequest("taxSruRefused");
    const bytes = file === "INFO.SRU" ? sru.files.info : sru.files.blanketter;
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "tax.sruDownloaded", outcome: "success", details: { file } });
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": "text/plain; charset=iso-8859-1",
        "content-disposition": `attachment; filename="${file}"`,
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    return errorResponse(err, base, "SRU download");
  }
}
