// Who belongs to a firm and who runs it. A user belongs to at most one firm; an owner manages it (invites, members,
// roles, its name), a member works on its clients. Every change that could leave a firm without an owner runs with
// the firm's row locked, so two owners removing each other at the same moment cannot both succeed.

import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { firms, memberships, users } from "@/db/schema";
import { DomainError, conflict, notFound } from "@/server/errors";

export type FirmRole = "owner" | "member";

/** The firm and the user acting in it (the signed-in member). */
export interface FirmActor {
  firmId: string;
  userId: string;
}

export const ownerOnly = () => new DomainError("FORBIDDEN", "ownerOnly");

/** The actor's role, read now (never from the session): a removed or demoted owner is refused at once. */
export async function requireOwner(db: DbOrTx, actor: FirmActor): Promise<void> {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.firmId, actor.firmId), eq(memberships.userId, actor.userId)));
  if (m?.role !== "owner") throw ownerOnly();
}

/** Runs `fn` with the firm's row locked and the actor checked as its owner inside the same transaction. */
export async function asOwner<T>(db: Db, actor: FirmActor, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await tx.select({ id: firms.id }).from(firms).where(eq(firms.id, actor.firmId)).for("update");
    await requireOwner(tx, actor);
    return fn(tx);
  });
}

export async function listMembers(db: Db, firmId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.firmId, firmId))
    .orderBy(asc(memberships.createdAt));
}

async function memberOf(tx: Db, firmId: string, userId: string) {
  const [m] = await tx
    .select({ role: memberships.role, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.firmId, firmId), eq(memberships.userId, userId)));
  if (!m) throw notFound("memberNotFound");
  return m;
}

async function ownerCount(tx: Db, firmId: string): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.firmId, firmId), eq(memberships.role, "owner")));
  return Number(r.n);
}

/**
 * Takes a member out of the firm (an owner too, while another owner remains). Nothing else of theirs is deleted:
 * their work belongs to the firm. From their next request on they see nothing of it: every procedure and route
 * reads the membership from the database on each request.
 */
export async function removeMember(db: Db, actor: FirmActor, userId: string) {
  return asOwner(db, actor, async (tx) => {
    const m = await memberOf(tx, actor.firmId, userId);
    if (m.role === "owner" && (await ownerCount(tx, actor.firmId)) <= 1) throw conflict("lastOwner");
    await tx.delete(memberships).where(and(eq(memberships.firmId, actor.firmId), eq(memberships.userId, userId)));
    return { name: m.name, email: m.email, role: m.role };
  });
}

export async function setMemberRole(db: Db, actor: FirmActor, userId: string, role: FirmRole) {
  return asOwner(db, actor, async (tx) => {
    const m = await memberOf(tx, actor.firmId, userId);
    if (m.role === role) return { name: m.name, role };
    if (m.role === "owner" && (await ownerCount(tx, actor.firmId)) <= 1) throw conflict("lastOwner");
    await tx.update(memberships).set({ role }).where(and(eq(memberships.firmId, actor.firmId), eq(memberships.userId, userId)));
    return { name: m.name, role };
  });
}

export async function renameFirm(db: Db, actor: FirmActor, name: string) {
  return asOwner(db, actor, async (tx) => {
    const [firm] = await tx.update(firms).set({ name: name.trim() }).where(eq(firms.id, actor.firmId)).returning();
    return firm;
  });
}
