import { expect, test, type Page } from "@playwright/test";
import { createClient, createFirm, signUp, uniqueEmail, YEAR } from "./helpers";

// The whole OAuth round trip in Chromium against `next start` in sandbox mode: the app's own Fortnox sandbox at
// /sandbox/fortnox plays Fortnox (its consent page is a plain form), and the server's token calls go over HTTP to it.

const DEMO = { name: "Demo Konsult AB", orgNr: "556677-8899", tenant: "1234567" };

async function firmWithDemoClient(page: Page, who: string) {
  await signUp(page, who, uniqueEmail(who.toLowerCase()));
  await createFirm(page, `${who}s Byrå`);
  await createClient(page, DEMO.name, DEMO.orgNr);
  await expect(page.getByRole("heading", { name: DEMO.name })).toBeVisible();
}

/** From the connection page through Fortnox's consent page and back. */
async function connectAtFortnox(page: Page, company: string, decision: "Godkänn" | "Neka" = "Godkänn") {
  await page.getByRole("button", { name: "Anslut till Fortnox" }).click();
  await expect(page).toHaveURL(/\/sandbox\/fortnox\/oauth-v1\/auth\?/);
  await expect(page.getByRole("heading", { name: "Logga in på Fortnox" })).toBeVisible();
  await page.getByLabel(new RegExp(company.replace(/[&]/g, "\\$&"))).check();
  await page.getByRole("button", { name: decision }).click();
  await expect(page).toHaveURL(/\/clients\/[0-9a-f-]+\/connection\?/);
}

test("connect through Fortnox's consent page, see the company, disconnect", async ({ page }) => {
  await firmWithDemoClient(page, "Anna");
  // The project's Koppla step leads to the connection page.
  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  await page.getByRole("button", { name: "Nytt bokslut" }).click();
  await expect(page.getByTestId("step-connect-state")).toHaveText("Att göra");
  const projectUrl = page.url();
  await page.getByRole("link", { name: "Gå till Koppla" }).click();
  await expect(page.getByRole("heading", { name: `Fortnox-koppling för ${DEMO.name}` })).toBeVisible();
  await expect(page.getByTestId("sandbox-banner")).toContainText("Sandlåda");
  await expect(page.getByTestId("connection-state")).toHaveText("Inte kopplad");

  await connectAtFortnox(page, DEMO.name);
  await expect(page.getByText("Klienten är nu kopplad till Fortnox.")).toBeVisible();
  await expect(page.getByTestId("connection-state")).toHaveText("Kopplad");
  await expect(page.getByTestId("connection-company")).toHaveText(DEMO.name);
  await expect(page.getByTestId("connection-org-nr")).toHaveText(DEMO.orgNr);
  await expect(page.getByTestId("connection-database-number")).toHaveText(DEMO.tenant);
  await expect(page.getByTestId("connection-connected-by")).toContainText("Anna ·");
  await expect(page.getByTestId("connection-history")).toContainText("Kopplad till Fortnox");
  // Still signed in as the accountant: no new session came from Fortnox.
  await expect(page.getByTestId("firm-name")).toContainText("Anna");
  // No token reaches the browser: not in the page, not in a readable cookie.
  const html = await page.content();
  expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name).sort()).toEqual(expect.arrayContaining(["next-auth.session-token"]));
  expect(cookies.find((c) => c.name === "sb-fortnox-attempt")).toBeUndefined();
  await page.screenshot({ path: "test-results/connection-connected-sv.png", fullPage: true });

  await page.goto(projectUrl);
  await expect(page.getByTestId("step-connect-state")).toHaveText("Klart");
  await expect(page.getByTestId("step-import-state")).toHaveText("Att göra");

  await page.getByRole("link", { name: "Kopplingar" }).click();
  await expect(page.getByRole("heading", { name: "Översikt av kopplingar" })).toBeVisible();
  const overview = page.getByTestId("connections-overview");
  await expect(overview).toContainText(DEMO.name);
  await expect(overview).toContainText("Kopplad");
  await page.screenshot({ path: "test-results/connections-overview-sv.png", fullPage: true });
  await page.getByRole("link", { name: `Visa: ${DEMO.name}` }).click();

  await page.getByRole("button", { name: "Koppla bort" }).click();
  await page.getByRole("button", { name: "Ja, koppla bort" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Inte kopplad");
  await expect(page.getByRole("button", { name: "Anslut till Fortnox" })).toBeVisible();
  await expect(page.getByTestId("connection-history")).toContainText("Bortkopplad från Fortnox");
});

test("organisation number mismatch: a warning, then confirm; again, then cancel", async ({ page }) => {
  await firmWithDemoClient(page, "Bo");
  await page.getByRole("link", { name: "Fortnox-koppling" }).click();

  await connectAtFortnox(page, "Nordisk Bygg & Projekt AB");
  await expect(page.getByTestId("connection-state")).toHaveText("Väntar på din bekräftelse");
  const warning = page.getByTestId("connection-pending");
  await expect(warning).toContainText("Kontrollera företaget innan kopplingen används");
  await expect(warning).toContainText(`men klienten ${DEMO.name} har ${DEMO.orgNr}`);
  await page.getByRole("button", { name: "Ja, använd kopplingen" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Kopplad");
  await expect(page.getByTestId("connection-company")).toHaveText("Nordisk Bygg & Projekt AB");
  await expect(page.getByText("skiljer sig från klientens")).toBeVisible();

  // Reconnect to the wrong company once more, and this time cancel: nothing stays connected.
  await page.getByRole("button", { name: "Koppla bort" }).click();
  await page.getByRole("button", { name: "Ja, koppla bort" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Inte kopplad");
  await connectAtFortnox(page, "Nordisk Bygg & Projekt AB");
  await expect(page.getByTestId("connection-pending")).toBeVisible();
  await page.screenshot({ path: "test-results/connection-pending-sv.png", fullPage: true });
  await page.getByRole("button", { name: "Avbryt och koppla bort" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Inte kopplad");
  await expect(page.getByTestId("connection-history")).toContainText("Kopplingen avbröts");
});

test("denied consent: the page says nothing was connected", async ({ page }) => {
  await firmWithDemoClient(page, "Cleo");
  await page.getByRole("link", { name: "Fortnox-koppling" }).click();
  await connectAtFortnox(page, DEMO.name, "Neka");
  await expect(page.getByRole("alert").filter({ hasText: "Kopplingen nekades hos Fortnox" })).toBeVisible();
  await expect(page.getByTestId("connection-state")).toHaveText("Inte kopplad");
  await expect(page.getByTestId("firm-name")).toContainText("Cleo");
});

test("English, and keyboard only: connect with Enter and Space", async ({ page }) => {
  await firmWithDemoClient(page, "Dag");
  await page.getByLabel("Språk").first().selectOption("en");
  await expect(page.getByRole("link", { name: "Fortnox connection" })).toBeVisible();
  await page.getByRole("link", { name: "Fortnox connection" }).click();
  await expect(page.getByRole("heading", { name: `Fortnox connection for ${DEMO.name}` })).toBeVisible();
  await expect(page.getByTestId("connection-state")).toHaveText("Not connected");
  await page.screenshot({ path: "test-results/connection-none-en.png", fullPage: true });
  const connect = page.getByRole("button", { name: "Connect to Fortnox" });
  await connect.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Logga in på Fortnox" })).toBeVisible();
  await page.getByRole("button", { name: "Godkänn" }).focus();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("connection-state")).toHaveText("Connected");
  await expect(page.getByText("The client is now connected to Fortnox.")).toBeVisible();
  await page.screenshot({ path: "test-results/connection-connected-en.png", fullPage: true });
});
