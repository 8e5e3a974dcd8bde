import { defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${PORT}`;
// Debian's Chromium on our machines; elsewhere Playwright's own browser (`npx playwright install chromium`).
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const runId = process.env.E2E_RUN_ID ?? Date.now().toString(36);
// Kept in the environment so that the test workers (which inherit it) can derive the mounted sandbox's client secret.
process.env.E2E_NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "sv-SE",
    launchOptions: {
      executablePath: systemChromium,
      // A closed network: without these flags Chromium keeps trying to reach Google's hosts.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `npx next start -p ${PORT} -H 127.0.0.1`,
    url: `${baseURL}/signin`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      NODE_ENV: "production",
      NEXTAUTH_URL: baseURL,
      // A production build on this machine: plain http on 127.0.0.1, against the app's own Fortnox sandbox. Both
      // are refused in production unless named like this (server/env.ts).
      ALLOW_HTTP_LOOPBACK_INSECURE: "1",
      ALLOW_SANDBOX_IN_PRODUCTION_INSECURE: "1",
      NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...(process.env.DATABASE_URL
        ? { DATABASE_URL: process.env.DATABASE_URL }
        : { EMBEDDED_DB: "1", PGLITE_DIR: `.data/e2e-${runId}` }),
    },
  },
});
