import { and, asc, desc, eq, gte, lte, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clients, projects } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";
import { blobIdsOfProjects, deleteBlobs } from "@/server/files/references";
import { checkFinancialYear } from "./financial-year";

export type DataSource = "fortnox" | "sie";

export interface ProjectInput {
  name?: string;
  startDate: string;
  endDate: string;
  dataSource: DataSource;
}

export async function listProjects(db: Db, firmId: string, clientId: string) {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.firmId, firmId), eq(projects.clientId, clientId)))
    .orderBy(desc(projects.startDate));
}

export async function getProject(db: Db, firmId: string, projectId: string) {
  const [row] = await db
    .select({ project: projects, client: clients })
    .from(projects)
    .innerJoin(clients, eq(clients.id, projects.clientId))
    .where(and(eq(projects.id, projectId), eq(projects.firmId, firmId)));
  if (!row) throw notFound("projectNotFound");
  return row;
}

async function ensureNoOverlap(db: Db, clientId: string, start: string, end: string, exceptId?: string) {
  const conds = [eq(projects.clientId, clientId), lte(projects.startDate, end), gte(projects.endDate, start)];
  if (exceptId) conds.push(ne(projects.id, exceptId));
  const [clash] = await db.select().from(projects).where(and(...conds)).orderBy(asc(projects.startDate)).limit(1);
  if (clash) throw conflict("projectOverlap", { name: clash.name, start: clash.startDate, end: clash.endDate });
}

function defaultName(start: string, end: string) {
  return start.slice(0, 4) === end.slice(0, 4) ? `Bokslut ${end.slice(0, 4)}` : `Bokslut ${start.slice(0, 4)}/${end.slice(0, 4)}`;
}

export async function createProject(db: Db, firmId: string, clientId: string, input: ProjectInput) {
  const problem = checkFinancialYear(input.startDate, input.endDate);
  if (problem) throw badRequest(problem);
  const [client] = await db.select().from(clients).where(and(eq(clients.id, clientId), eq(clients.firmId, firmId)));
  if (!client) throw notFound("clientNotFound");
  // Serialise creation per client so two concurrent requests cannot both pass the overlap check.
  return db.transaction(async (tx) => {
    await tx.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId)).for("update");
    await ensureNoOverlap(tx as unknown as Db, clientId, input.startDate, input.endDate);
    const [row] = await tx
      .insert(projects)
      .values({
        firmId,
        clientId,
        name: input.name?.trim() || defaultName(input.startDate, input.endDate),
        startDate: input.startDate,
        endDate: input.endDate,
        dataSource: input.dataSource,
      })
      .returning();
    return row;
  });
}

export async function renameProject(db: Db, firmId: string, projectId: string, name: string) {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest("nameRequired");
  const [row] = await db
    .update(projects)
    .set({ name: trimmed })
    .where(and(eq(projects.id, projectId), eq(projects.firmId, firmId)))
    .returning();
  if (!row) throw notFound("projectNotFound");
  return row;
}

export async function setDataSource(db: Db, firmId: string, projectId: string, dataSource: DataSource) {
  const [row] = await db
    .update(projects)
    .set({ dataSource })
    .where(and(eq(projects.id, projectId), eq(projects.firmId, firmId)))
    .returning();
  if (!row) throw notFound("projectNotFound");
  return row;
}

/**
 * Deletes the project and everything it owns: its rows go by cascade (the imported ledger's partitions with their
 * import, by trigger), its file bytes (attachments, an uploaded SIE file still queued) in the same transaction.
 */
export async function deleteProject(db: Db, firmId: string, projectId: string) {
  return db.transaction(async (tx) => {
    const blobIds = await blobIdsOfProjects(tx, [projectId]);
    const rows = await tx
      .delete(projects)
      .where(and(eq(projects.id, projectId), eq(projects.firmId, firmId)))
      .returning({ id: projects.id, name: projects.name, clientId: projects.clientId });
    if (!rows.length) throw notFound("projectNotFound");
    await deleteBlobs(tx, blobIds);
    return rows[0];
  });
}
