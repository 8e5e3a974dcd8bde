// Ports of the e2e servers, shared by playwright.config.ts and the specs (which run in other processes).
export const PORT = Number(process.env.E2E_PORT ?? 3210);
/** The app in "real Fortnox" configuration (project real-fortnox). */
export const REAL_PORT = Number(process.env.E2E_REAL_PORT ?? PORT + 1);
/** The standalone Fortnox sandbox that app talks to. */
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? PORT + 2);
export const REAL_SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
