#!/usr/bin/env node
// Starts the app in "real Fortnox" configuration for the Playwright project real-fortnox (playwright.config.ts):
// FORTNOX_* point at a standalone sandbox process. It must not share a database with the app of the other specs
// (each app's job worker would take the other's jobs), so with DATABASE_URL it makes a database of its own first,
// and drops it when stopped; without, it uses its own PGlite directory.
import { spawn } from "node:child_process";
import postgres from "postgres";

const port = process.env.PORT;
let dropDb = null;
const env = { ...process.env };

if (process.env.DATABASE_URL) {
  const base = new URL(process.env.DATABASE_URL);
  const name = `sb_e2e_real_${Date.now().toString(36)}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const own = new URL(base);
  own.pathname = `/${name}`;
  env.DATABASE_URL = own.toString();
  dropDb = async () => {
    const a = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await a.end();
  };
} else {
  env.EMBEDDED_DB = "1";
}

const child = spawn("npx", ["next", "start", "-p", port, "-H", "127.0.0.1"], { env, stdio: "inherit" });
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  await new Promise((r) => child.once("exit", r));
  if (dropDb) await dropDb();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
child.on("exit", (code) => {
  if (!stopping) process.exit(code ?? 1);
});
