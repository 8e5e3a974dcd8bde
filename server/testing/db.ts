import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";

/**
 * The databases an integration suite runs against: embedded PGlite always, and a real PostgreSQL server when
 * DATABASE_URL is set (CI). Each suite gets its own fresh database so suites can run in parallel.
 */
export interface DbTarget {
  name: "pglite" | "postgres";
  open(): Promise<DbHandle>;
}

export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [{ name: "pglite", open: () => openDb({}) }];
  const url = process.env.DATABASE_URL;
  if (url) targets.push({ name: "postgres", open: () => openFreshPostgres(url) });
  return targets;
}

async function openFreshPostgres(baseUrl: string): Promise<DbHandle> {
  const name = `sb_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const handle = await openDb({ url: u.toString() });
  return {
    ...handle,
    async close() {
      await handle.close();
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
