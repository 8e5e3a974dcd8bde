import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";

/**
 * Databases that a child process can open too, for tests that kill a worker with SIGKILL: PGlite in a directory
 * (one process at a time: the parent closes it while the child runs) and, when DATABASE_URL is set, a fresh
 * PostgreSQL database.
 */
export interface SharedDbTarget {
  name: "pglite" | "postgres";
  exclusive: boolean;
  setup(): Promise<{ open: () => Promise<DbHandle>; env: Record<string, string>; cleanup: () => Promise<void> }>;
}

export function sharedDbTargets(label: string): SharedDbTarget[] {
  const targets: SharedDbTarget[] = [
    {
      name: "pglite",
      exclusive: true,
      async setup() {
        const dir = mkdtempSync(path.join(tmpdir(), `sb-${label}-`));
        return { open: () => openDb({ dataDir: dir }), env: { PGLITE_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  const base = process.env.DATABASE_URL;
  if (base) {
    targets.push({
      name: "postgres",
      exclusive: false,
      async setup() {
        const name = `sb_${label.replace(/\W/g, "")}_${randomBytes(5).toString("hex")}`;
        const admin = postgres(base, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${name}`);
        const u = new URL(base);
        u.pathname = `/${name}`;
        return {
          open: () => openDb({ url: u.toString() }),
          env: { DATABASE_URL: u.toString() },
          cleanup: async () => {
            await admin.unsafe(`drop database if exists ${name} with (force)`);
            await admin.end();
          },
        };
      },
    });
  }
  return targets;
}
