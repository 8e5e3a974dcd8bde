import { pgTable, uuid, text, timestamp, integer, pgEnum, index, uniqueIndex, jsonb } from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { clients } from "./clients";

/**
 * connected: usable. needs_reconnect: the refresh token (or the service account approval) is dead: "Anslut igen".
 * error: stored but unusable for another reason (last_error_key says which). pending_confirmation: connected at
 * Fortnox, but the organisation number differs or the Fortnox company already serves another client: the user
 * confirms or cancels before anything may use it.
 */
export const connectionStatusEnum = pgEnum("fortnox_connection_status", ["connected", "needs_reconnect", "error", "pending_confirmation"]);
/** user: authorization code with a rotating refresh token. service: client_credentials with the TenantId. */
export const connectionKindEnum = pgEnum("fortnox_connection_kind", ["user", "service"]);

export interface ConnectionWarnings {
  /** Fortnox's organisation number differs from the client's. */
  orgNrMismatch?: boolean;
  /** The Fortnox company already serves another client of the firm. */
  sameCompanyAsClientId?: string;
}

/** One Fortnox connection per client. Tokens only as ciphertext (server/fortnox/crypto.ts), bound to the row id. */
export const fortnoxConnections = pgTable(
  "fortnox_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").notNull().references(() => clients.id, { onDelete: "cascade" }),
    status: connectionStatusEnum("status").notNull(),
    kind: connectionKindEnum("kind").notNull().default("user"),
    /** Fortnox's DatabaseNumber (= tenantId in the access token); the TenantId header of service accounts. */
    tenantId: text("tenant_id"),
    companyName: text("company_name"),
    /** As Fortnox has it, digits only ("" when Fortnox has none). */
    orgNr: text("org_nr"),
    accessTokenEnc: text("access_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    /** Version of TOKEN_ENCRYPTION_KEY the tokens were written with (rotation re-encrypts on the next save). */
    tokenKeyVersion: integer("token_key_version"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    /** Our estimate: Fortnox does not say; 31 days after issue (the shorter of the documented lifetimes). */
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scopes: text("scopes").array().notNull().default([]),
    warnings: jsonb("warnings").$type<ConnectionWarnings>().notNull().default({}),
    connectedBy: uuid("connected_by").references(() => users.id, { onDelete: "set null" }),
    connectedAt: timestamp("connected_at", { withTimezone: true }),
    lastRefreshedAt: timestamp("last_refreshed_at", { withTimezone: true }),
    /** Message key (namespace "errors") of the last problem; null when the last use went well. */
    lastErrorKey: text("last_error_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("fortnox_connections_client_key").on(t.clientId),
    index("fortnox_connections_firm").on(t.firmId),
    index("fortnox_connections_refresh_due").on(t.status, t.refreshTokenExpiresAt),
  ],
);

/**
 * A connect in flight: created by the signed-in user just before the redirect to Fortnox, referenced by an
 * httpOnly cookie holding a random token (only its SHA-256 is stored), used once by the OAuth callback.
 */
export const fortnoxConnectAttempts = pgTable(
  "fortnox_connect_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").notNull().references(() => clients.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: connectionKindEnum("kind").notNull().default("user"),
    /** The scopes asked for at Fortnox: what was granted when the token answer names none. */
    scopes: text("scopes").array().notNull().default([]),
    /** Where the browser goes after a successful consent (an app path), e.g. back to the export. */
    returnTo: text("return_to"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /** connected | pending_confirmation | an error key, once the callback has run. */
    outcome: text("outcome"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("fortnox_connect_attempts_token_key").on(t.tokenHash), index("fortnox_connect_attempts_client").on(t.clientId)],
);
