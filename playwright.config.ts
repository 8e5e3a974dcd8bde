import { defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { PORT, REAL_PORT, REAL_SANDBOX_URL, SANDBOX_PORT } from "./e2e/ports";

const baseURL = `http://127.0.0.1:${PORT}`;
// Debian's Chromium on our machines; elsewhere Playwright's own browser (`npx playwright install chromium`).
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const runId = process.env.E2E_RUN_ID ?? Date.now().toString(36);
// Kept in the environment so that the test workers (which inherit it) can derive the mounted sandbox's client secret.
process.env.E2E_NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");
// The project real-fortnox: the app configured for real Fortnox (FORTNOX_CLIENT_ID/SECRET, FORTNOX_OAUTH_URL and
// FORTNOX_API_URL) against a standalone sandbox process, whose app registration holds only the scopes the app needs.
const realURL = `http://127.0.0.1:${REAL_PORT}`;
const realClient = { id: "e2e-real-fortnox", secret: randomBytes(16).toString("base64url") };
const demoYear = new Date().getUTCFullYear() - 1;

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
  projects: [
    { name: "mounted-sandbox", testIgnore: /real-fortnox\.spec\.ts/ },
    { name: "real-fortnox", testMatch: /real-fortnox\.spec\.ts/, use: { baseURL: realURL } },
  ],
  webServer: [{
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
  }, {
    // The standalone Fortnox: its own process and port, as api.fortnox.se would be.
    command: `npx tsx server/sandbox/main.ts`,
    url: `${REAL_SANDBOX_URL}/control/state`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { PORT: String(SANDBOX_PORT), SANDBOX_CLIENT_ID: realClient.id, SANDBOX_CLIENT_SECRET: realClient.secret, SANDBOX_YEAR: String(demoYear) },
  }, {
    command: `node e2e/real-fortnox-app.mjs`,
    url: `${realURL}/signin`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // SIGTERM lets the launcher drop the database it made.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      PORT: String(REAL_PORT),
      NODE_ENV: "production",
      NEXTAUTH_URL: realURL,
      ALLOW_HTTP_LOOPBACK_INSECURE: "1",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PGLITE_DIR: `.data/e2e-real-${runId}`,
      FORTNOX_CLIENT_ID: realClient.id,
      FORTNOX_CLIENT_SECRET: realClient.secret,
      FORTNOX_OAUTH_URL: `${REAL_SANDBOX_URL}/oauth-v1`,
      FORTNOX_API_URL: `${REAL_SANDBOX_URL}/3`,
    },
  }],
});
