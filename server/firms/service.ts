import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { firms, invites, memberships, users } from "@/db/schema";
import { DomainError, conflict, notFound } from "@/server/errors";

const INVITE_DAYS = 7;

export async function getMembership(db: Db, userId: string) {
  const rows = await db
    .select({ firmId: memberships.firmId, role: memberships.role, firmName: firms.name })
    .from(memberships)
    .innerJoin(firms, eq(firms.id, memberships.firmId))
    .where(eq(memberships.userId, userId))
    .limit(1);
  return rows[0] ?? null;
}

export async function createFirm(db: Db, userId: string, name: string) {
  return db.transaction(async (tx) => {
    const existing = await tx.select().from(memberships).where(eq(memberships.userId, userId)).limit(1);
    if (existing.length) throw conflict("alreadyInFirm");
    const [firm] = await tx.insert(firms).values({ name: name.trim() }).returning();
    await tx.insert(memberships).values({ userId, firmId: firm.id, role: "owner" });
    return firm;
  });
}

export async function listMembers(db: Db, firmId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.firmId, firmId));
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** An invite link token; the raw token is returned once and never stored. */
export async function createInvite(db: Db, firmId: string, userId: string, now = new Date()) {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 24 * 3600 * 1000);
  await db.insert(invites).values({ firmId, tokenHash: hashToken(token), createdBy: userId, expiresAt });
  return { token, expiresAt };
}

export async function describeInvite(db: Db, token: string, now = new Date()) {
  const rows = await db
    .select({ firmName: firms.name, expiresAt: invites.expiresAt })
    .from(invites)
    .innerJoin(firms, eq(firms.id, invites.firmId))
    .where(and(eq(invites.tokenHash, hashToken(token)), gt(invites.expiresAt, now), gt(invites.usesLeft, 0)))
    .limit(1);
  return rows[0] ?? null;
}

export async function acceptInvite(db: Db, userId: string, token: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const existing = await tx.select().from(memberships).where(eq(memberships.userId, userId)).limit(1);
    if (existing.length) throw conflict("alreadyInFirm");
    // Decrement atomically so that a link with one use left cannot be accepted twice concurrently.
    const [inv] = await tx
      .update(invites)
      .set({ usesLeft: sql`${invites.usesLeft} - 1` })
      .where(and(eq(invites.tokenHash, hashToken(token)), gt(invites.expiresAt, now), gt(invites.usesLeft, 0)))
      .returning({ firmId: invites.firmId });
    if (!inv) throw new DomainError("NOT_FOUND", "inviteInvalid");
    await tx.insert(memberships).values({ userId, firmId: inv.firmId, role: "member" });
    const [firm] = await tx.select().from(firms).where(eq(firms.id, inv.firmId));
    if (!firm) throw notFound();
    return firm;
  });
}
