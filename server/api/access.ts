import type { Db } from "@/db/client";
import { getClient } from "@/server/firms/clients";
import { getProject } from "@/server/closing/projects";

/**
 * The firm-scoped access helper. Every procedure that receives an id of firm data resolves it here, against the
 * firm of the signed-in user; an id of another firm is NOT_FOUND (we do not reveal that it exists).
 */
export interface FirmCtx {
  db: Db;
  userId: string;
  firmId: string;
}

export const requireClient = (ctx: FirmCtx, clientId: string) => getClient(ctx.db, ctx.firmId, clientId);
export const requireProject = (ctx: FirmCtx, projectId: string) => getProject(ctx.db, ctx.firmId, projectId);
