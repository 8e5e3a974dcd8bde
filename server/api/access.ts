import type { Db } from "@/db/client";
import { getClient } from "@/server/firms/clients";
import { getProject } from "@/server/closing/projects";
import type { ProjectScope } from "@/server/scope";

/**
 * The one tenancy check. clientProcedure / projectProcedure (server/api/trpc.ts) and the route handlers
 * (route-access.ts) resolve the id they were given here, against the firm of the signed-in user: an id of another
 * firm is NOT_FOUND (we do not reveal that it exists).
 */
export interface FirmCtx {
  db: Db;
  userId: string;
  firmId: string;
}

export const clientAccess = (ctx: FirmCtx, clientId: string) => getClient(ctx.db, ctx.firmId, clientId);

/** The checked project, its client, and the scope the domain functions take. */
export async function projectAccess(ctx: FirmCtx, projectId: string) {
  const { project, client } = await getProject(ctx.db, ctx.firmId, projectId);
  const scope: ProjectScope = { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId };
  return { project, client, scope };
}
