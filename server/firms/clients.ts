import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clients } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";
import { checkOrgNr } from "@/lib/org-nr";

export function validOrgNrOrThrow(input: string): string {
  const r = checkOrgNr(input);
  if (!r.ok) throw badRequest(r.problem === "format" ? "orgNrFormat" : "orgNrChecksum");
  return r.value;
}

export async function listClients(db: Db, firmId: string) {
  return db.select().from(clients).where(eq(clients.firmId, firmId)).orderBy(asc(clients.name));
}

/** Firm scoping lives in the WHERE clause: another firm's id is simply not found. */
export async function getClient(db: Db, firmId: string, clientId: string) {
  const [row] = await db.select().from(clients).where(and(eq(clients.id, clientId), eq(clients.firmId, firmId)));
  if (!row) throw notFound("clientNotFound");
  return row;
}

async function ensureOrgNrFree(db: Db, firmId: string, orgNr: string, exceptId?: string) {
  const [dup] = await db.select({ id: clients.id }).from(clients).where(and(eq(clients.firmId, firmId), eq(clients.orgNr, orgNr)));
  if (dup && dup.id !== exceptId) throw conflict("clientOrgNrTaken");
}

export async function createClient(db: Db, firmId: string, input: { name: string; orgNr: string }) {
  const orgNr = validOrgNrOrThrow(input.orgNr);
  await ensureOrgNrFree(db, firmId, orgNr);
  const [row] = await db.insert(clients).values({ firmId, name: input.name.trim(), orgNr }).returning();
  return row;
}

export async function updateClient(db: Db, firmId: string, clientId: string, input: { name: string; orgNr: string }) {
  await getClient(db, firmId, clientId);
  const orgNr = validOrgNrOrThrow(input.orgNr);
  await ensureOrgNrFree(db, firmId, orgNr, clientId);
  const [row] = await db
    .update(clients)
    .set({ name: input.name.trim(), orgNr })
    .where(and(eq(clients.id, clientId), eq(clients.firmId, firmId)))
    .returning();
  return row;
}

// Deleting a client (with its Fortnox grant and file bytes): ./client-deletion.ts.
