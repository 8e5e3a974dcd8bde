// Invite links. Only an owner creates, lists and revokes them. A link admits one person unless the owner chose more
// (at most MAX_INVITE_USES), for INVITE_DAYS; only the SHA-256 of its token is stored, so the raw token is shown
// once, at creation. Accepting takes one use in a conditional UPDATE, so a last use cannot be taken twice.

import { createHash, randomBytes } from "node:crypto";
import { aliasedTable, and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { firms, invites, memberships, users } from "@/db/schema";
import { DomainError, badRequest, conflict, notFound } from "@/server/errors";
import { asOwner, requireOwner, type FirmActor } from "./membership";

export const INVITE_DAYS = 7;
export const MAX_INVITE_USES = 20;
const LISTED = 50;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type InviteStatus = "active" | "used" | "expired" | "revoked";

export async function createInvite(db: Db, actor: FirmActor, opts: { maxUses?: number } = {}, now = new Date()) {
  const maxUses = opts.maxUses ?? 1;
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > MAX_INVITE_USES) throw badRequest("inviteUsesRange", { max: MAX_INVITE_USES });
  await requireOwner(db, actor);
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 24 * 3600 * 1000);
  const [row] = await db
    .insert(invites)
    .values({ firmId: actor.firmId, tokenHash: hashToken(token), createdBy: actor.userId, expiresAt, maxUses, usesLeft: maxUses })
    .returning({ id: invites.id });
  return { id: row.id, token, expiresAt, maxUses };
}

/** The firm's latest links, newest first, with who made (and revoked) them; never their tokens. */
export async function listInvites(db: Db, actor: FirmActor, now = new Date()) {
  await requireOwner(db, actor);
  const creator = aliasedTable(users, "creator");
  const revoker = aliasedTable(users, "revoker");
  const rows = await db
    .select({
      id: invites.id, createdAt: invites.createdAt, expiresAt: invites.expiresAt, maxUses: invites.maxUses, usesLeft: invites.usesLeft,
      revokedAt: invites.revokedAt, createdByName: creator.name, revokedByName: revoker.name,
    })
    .from(invites)
    .leftJoin(creator, eq(creator.id, invites.createdBy))
    .leftJoin(revoker, eq(revoker.id, invites.revokedBy))
    .where(eq(invites.firmId, actor.firmId))
    .orderBy(desc(invites.createdAt))
    .limit(LISTED);
  return rows.map(({ usesLeft, ...r }) => {
    const status: InviteStatus = r.revokedAt ? "revoked" : usesLeft <= 0 ? "used" : r.expiresAt <= now ? "expired" : "active";
    return { ...r, used: Math.max(0, r.maxUses - usesLeft), status };
  });
}

export async function revokeInvite(db: Db, actor: FirmActor, inviteId: string, now = new Date()) {
  return asOwner(db, actor, async (tx) => {
    const [row] = await tx.select().from(invites).where(and(eq(invites.id, inviteId), eq(invites.firmId, actor.firmId)));
    if (!row) throw notFound("inviteNotFound");
    if (!row.revokedAt) await tx.update(invites).set({ revokedAt: now, revokedBy: actor.userId }).where(eq(invites.id, inviteId));
    return { id: inviteId };
  });
}

const usable = (token: string, now: Date) =>
  and(eq(invites.tokenHash, hashToken(token)), gt(invites.expiresAt, now), gt(invites.usesLeft, 0), isNull(invites.revokedAt));

export async function describeInvite(db: Db, token: string, now = new Date()) {
  const rows = await db
    .select({ firmName: firms.name, expiresAt: invites.expiresAt })
    .from(invites)
    .innerJoin(firms, eq(firms.id, invites.firmId))
    .where(usable(token, now))
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
      .where(usable(token, now))
      .returning({ firmId: invites.firmId });
    if (!inv) throw new DomainError("NOT_FOUND", "inviteInvalid");
    await tx.insert(memberships).values({ userId, firmId: inv.firmId, role: "member" });
    const [firm] = await tx.select().from(firms).where(eq(firms.id, inv.firmId));
    if (!firm) throw notFound();
    return firm;
  });
}
