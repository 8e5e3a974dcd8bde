import path from "node:path";
import { mkdirSync } from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export { schema };
/** One type for both drivers: everything we write is plain PostgreSQL that PGlite and a real server both run. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
const MIGRATION_LOCK_KEY = 7_242_001; // any constant; shared by every app instance migrating one database

/**
 * Opens a database and brings its schema up to date.
 * `url` → postgres.js against a real server; otherwise PGlite in `dataDir` (or in memory when no dataDir: tests).
 */
export async function openDb(opts: { url?: string; dataDir?: string } = {}): Promise<DbHandle> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // Migrate over a single connection holding an advisory lock, so that several instances starting at once
    // do not race each other through the same migration.
    const lockConn = postgres(opts.url, { max: 1, onnotice: () => {} });
    try {
      await lockConn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await migrate(drizzle(lockConn), { migrationsFolder: MIGRATIONS_FOLDER });
      await lockConn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    } finally {
      await lockConn.end();
    }
    const sql = postgres(opts.url, { max: 10, onnotice: () => {}});
    const db = drizzle(sql, { schema }) as unknown as Db;
    return { db, kind: "postgres", close: () => sql.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create(opts.dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Db, kind: "pglite", close: () => client.close() };
}

type GlobalDb = { __sbDb?: Promise<DbHandle> };
const g = globalThis as unknown as GlobalDb;

/** The process-wide database (PGlite costs ~700 MB, so exactly one per process, kept across hot reloads). */
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__sbDb) {
    const url = process.env.DATABASE_URL || undefined;
    const dataDir = url ? undefined : process.env.PGLITE_DIR || path.join(process.cwd(), ".data", "pglite");
    g.__sbDb = openDb({ url, dataDir }).catch((err) => {
      g.__sbDb = undefined;
      throw err;
    });
  }
  return g.__sbDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Rows of `db.execute(...)`: postgres.js returns an array, PGlite an object with `rows`. */
export function resultRows<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** int8/numeric from a raw query: postgres.js gives strings, PGlite numbers or BigInts. */
export function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : Number(v);
}
