#!/usr/bin/env node
// The whole test suite, in the order that fails fastest: types, lint, unit and integration tests (PGlite, and
// PostgreSQL when DATABASE_URL is set), a production build, then Playwright in Chromium against `next start`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const steps = [
  ["typecheck", "npx", ["tsc", "--noEmit", "-p", "."]],
  ["lint (Biome)", "npx", ["biome", "lint", "."]],
  ["unit and integration tests", "npx", ["vitest", "run"]],
  ["production build", "npx", ["next", "build"]],
  ["e2e in Chromium", "npx", ["playwright", "test"]],
];

if (!process.env.DATABASE_URL) {
  console.log("DATABASE_URL is not set: integration tests and e2e run on embedded PGlite only.");
}
if (!existsSync("/usr/bin/chromium")) {
  console.log("No /usr/bin/chromium: Playwright uses its own browser. Install one with `apt-get install chromium` (Debian) or `npx playwright install chromium`.");
}

for (const [name, cmd, args] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${name} FAILED after ${secs} s`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${name} passed in ${secs} s`);
}
