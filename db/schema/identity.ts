import { pgTable, uuid, text, timestamp, integer, uniqueIndex, index, primaryKey, pgEnum } from "drizzle-orm/pg-core";

export const localeEnum = pgEnum("locale", ["sv", "en"]);
export const roleEnum = pgEnum("firm_role", ["owner", "member"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    locale: localeEnum("locale").notNull().default("sv"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/**
 * Throttling of sign-in and sign-up (server/auth/throttle.ts): one row per key (an account, a source address, an
 * account from one source, sign-ups from one source), stored as a SHA-256 so that no e-mail or address sits here.
 * `attempts` counts since the last quiet period; no attempt is accepted before `next_at`.
 */
export const authThrottle = pgTable(
  "auth_throttle",
  {
    keyHash: text("key_hash").primaryKey(),
    attempts: integer("attempts").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
    nextAt: timestamp("next_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("auth_throttle_last_at").on(t.lastAt)],
);

export const firms = pgTable("firms", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A user belongs to at most one firm (the firm whose clients they share). */
export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.firmId] }), uniqueIndex("memberships_user_key").on(t.userId)],
);

/** Invite links: only the SHA-256 of the token is stored, so a database leak does not leak usable links. */
export const invites = pgTable(
  "invites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdBy: uuid("created_by").notNull().references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** How many people the link admits (1 unless the owner chose more; server/firms/invites.ts bounds it). */
    maxUses: integer("max_uses").notNull().default(1),
    usesLeft: integer("uses_left").notNull().default(1),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), index("invites_firm_created").on(t.firmId, t.createdAt)],
);
