import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { firms, memberships } from "@/db/schema";
import { conflict } from "@/server/errors";

// Invites: ./invites.ts. Members and roles: ./membership.ts.

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
