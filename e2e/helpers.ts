import { expect, type Page } from "@playwright/test";

let n = 0;
export const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${n++}@example.se`;
/** The year the demo companies are closed for: the sandbox's last complete year (playwright.config.ts). */
export const YEAR = new Date().getUTCFullYear() - 1;
export const PASSWORD = "ett riktigt bra lösenord";

let address = 0;
/**
 * Gives the page's browser context an address of its own, as a reverse proxy would report it in X-Forwarded-For:
 * sign-up is limited per source address (server/auth/throttle.ts), and one e2e run signs up more people than that
 * from 127.0.0.1. (Without a proxy in front, Next.js keeps the header the client sent.)
 */
export async function fromOwnAddress(page: Page) {
  const n = address++;
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `198.18.${process.pid % 250}.${(n % 250) + 1}` });
}

export async function signUp(page: Page, name: string, email: string, callbackUrl?: string) {
  await fromOwnAddress(page);
  await page.goto(callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup");
  await page.getByLabel("Namn").fill(name);
  await page.getByLabel("E-post").fill(email);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await page.getByRole("button", { name: "Skapa konto" }).click();
}

export async function signIn(page: Page, email: string) {
  await page.getByLabel("E-post").fill(email);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
}

export async function createFirm(page: Page, name: string) {
  // The first sign-up of a run also opens the embedded database (seconds on a busy 2-core machine).
  await expect(page.getByRole("heading", { name: /Välkommen/ })).toBeVisible({ timeout: 30_000 });
  // On a busy machine a click before hydration submits the form natively (GET ?firmName=…) and nothing is created.
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Byråns namn").fill(name);
  await page.getByRole("button", { name: "Skapa byrå" }).click();
  await expect(page.getByRole("heading", { name: "Klienter" })).toBeVisible();
}

export async function createClient(page: Page, name: string, orgNr: string) {
  await page.goto("/clients");
  await page.getByLabel("Företagsnamn").fill(name);
  await page.getByLabel("Organisationsnummer").fill(orgNr);
  await page.getByRole("button", { name: "Lägg till klient" }).click();
}

/** A closing project for YEAR, from the client's page; returns the project's address. */
export async function createProject(page: Page, opts: { source?: "sie" } = {}): Promise<string> {
  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  if (opts.source) await page.getByLabel("Datakälla").selectOption(opts.source);
  await page.getByRole("button", { name: "Nytt bokslut" }).click();
  await expect(page.getByRole("heading", { name: `Bokslut ${YEAR}` })).toBeVisible();
  return page.url();
}

/** From a project's overview: the Koppla step and the sandbox's consent page for Demo Konsult AB. */
export async function connectDemoCompany(page: Page) {
  await page.getByRole("link", { name: "Gå till Koppla" }).click();
  await page.getByRole("button", { name: "Anslut till Fortnox" }).click();
  await page.getByLabel(/Demo Konsult AB/).check();
  await page.getByRole("button", { name: "Godkänn" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Kopplad");
}
