import { expect, test, type Page } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_TENANTS } from "../server/sandbox/data/tenants";
import { createClient, createFirm, signUp, uniqueEmail } from "./helpers";
import { REAL_SANDBOX_URL } from "./ports";

// The app in "real Fortnox" configuration (project real-fortnox in playwright.config.ts): FORTNOX_CLIENT_ID/SECRET
// and the Fortnox URLs point at a standalone sandbox process whose app registration holds only the scopes the
// app's features need, as an operator registers it in Fortnox's developer portal.

const YEAR = new Date().getUTCFullYear() - 1;
// Connect, fetch a year, consent twice and export, on a busy two-core machine.
test.describe.configure({ timeout: 240_000 });
const SHOTS = "test-results/real-fortnox";
const DEMO = DEFAULT_TENANTS.find((t) => t.tenantId === 1_234_567)!;
const NO_INVOICING = DEFAULT_TENANTS.find((t) => t.tenantId === 4_567_890)!;

async function fortnoxState(page: Page, tenantId: number) {
  const state = (await (await page.request.get(`${REAL_SANDBOX_URL}/control/state`)).json()) as {
    tenants: { tenantId: number; files: number; connections: number }[];
    vouchersPosted: Record<string, number>;
    invalidScope: number;
  };
  const t = state.tenants.find((x) => x.tenantId === tenantId)!;
  return { files: t.files, connections: t.connections, posted: state.vouchersPosted[tenantId] ?? 0, invalidScope: state.invalidScope };
}

async function newProject(page: Page, who: string, client: { name: string; orgNr: string }) {
  await signUp(page, who, uniqueEmail(who.toLowerCase()));
  await createFirm(page, `${who}s Byrå`);
  await createClient(page, client.name, client.orgNr);
  await expect(page.getByRole("heading", { name: client.name })).toBeVisible();
  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  await page.getByRole("button", { name: "Nytt bokslut" }).click();
  await expect(page.getByRole("heading", { name: `Bokslut ${YEAR}` })).toBeVisible();
  return page.url();
}

/** On Fortnox's (the standalone sandbox's) consent page: pick the company and approve. Returns the scopes asked. */
async function consentAtFortnox(page: Page, company: string): Promise<string[]> {
  await expect(page).toHaveURL(new RegExp(`^${REAL_SANDBOX_URL}/oauth-v1/auth`));
  const scopes = await page.locator("ul li").allInnerTexts();
  await page.getByLabel(new RegExp(company)).check();
  await page.getByRole("button", { name: "Godkänn" }).click();
  return scopes;
}

async function connect(page: Page, projectUrl: string, company: string) {
  await page.goto(projectUrl);
  await page.getByRole("link", { name: "Gå till Koppla" }).click();
  // Real Fortnox: no sandbox banner in the app.
  await expect(page.getByRole("button", { name: "Anslut till Fortnox" })).toBeVisible();
  await expect(page.getByTestId("sandbox-banner")).toHaveCount(0);
  await page.getByRole("button", { name: "Anslut till Fortnox" }).click();
  const scopes = await consentAtFortnox(page, company);
  await expect(page.getByTestId("connection-state")).toHaveText("Kopplad");
  return { scopes, connectionPage: page.url().split("?")[0] };
}

async function fetchYear(page: Page, projectUrl: string) {
  await page.goto(`${projectUrl}/import`);
  await page.getByRole("button", { name: "Hämta bokföringsdata" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 60_000 });
}

async function newAdjustment(page: Page, projectUrl: string, text: string, debit: [string, string], credit: [string, string]) {
  await page.goto(`${projectUrl}/adjustments/new`);
  await page.getByLabel("Verifikationstext").fill(text);
  await page.getByLabel("Konto, rad 1").fill(debit[0]);
  await page.getByLabel("Debet, rad 1").fill(debit[1]);
  await page.getByLabel("Konto, rad 2").fill(credit[0]);
  await page.getByLabel("Kredit, rad 2").fill(credit[1]);
  await expect(page.getByTestId("balance-state")).toHaveText("Balanserar");
  await page.getByRole("button", { name: "Spara justeringen" }).click();
  await expect(page.getByText("Justeringen är sparad.")).toBeVisible();
}

const L = {
  sv: { open: "Exportera verifikationer …", dialog: "Välj verifikationer och serie", all: "Välj alla", series: "Verifikationsserie i Fortnox", check: "Kontrollera och förhandsgranska" },
  en: { open: "Export vouchers …", dialog: "Choose vouchers and series", all: "Select all", series: "Voucher series in Fortnox", check: "Check and preview" },
};

async function openAndCheck(page: Page, lang: keyof typeof L) {
  const l = L[lang];
  await page.getByRole("button", { name: l.open }).click();
  const dialog = page.getByRole("dialog", { name: l.dialog });
  await dialog.getByLabel(l.all).check();
  await dialog.getByLabel(l.series).selectOption("B");
  await dialog.getByRole("button", { name: l.check }).click();
  return dialog;
}

async function setLanguage(page: Page, lang: "sv" | "en") {
  await page.getByLabel(lang === "en" ? "Språk" : "Language").selectOption(lang);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

test("(a) a registration with only the needed scopes: connect, fetch, export an adjustment with a PDF (the extra consent on the way)", async ({ page }) => {
  const projectUrl = await newProject(page, "Rut", { name: DEMO.name, orgNr: DEMO.orgNr });
  const { scopes: asked } = await connect(page, projectUrl, DEMO.name);
  // The normal connect asks for what import and export use, not profile, archive, inbox or connectfile.
  expect(asked.sort()).toEqual(["bookkeeping", "companyinformation", "invoice", "payment", "settings", "supplierinvoice"]);
  expect((await fortnoxState(page, DEMO.tenantId)).invalidScope).toBe(0);
  await fetchYear(page, projectUrl);
  const checks = page.getByTestId("import-checks");
  for (const key of ["customerLedger", "supplierLedger"]) await expect(checks.getByTestId(`check-${key}`), key).toHaveAttribute("data-status", "ok");

  await newAdjustment(page, projectUrl, "Upplupen revisionskostnad", ["6420", "15000"], ["2990", "15000"]);
  const pdf = path.join(tmpdir(), `revisionsoffert-${Date.now()}.pdf`);
  writeFileSync(pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.getByLabel("Välj filer att bifoga").setInputFiles(pdf);
  await expect(page.getByTestId("attachment").filter({ hasText: path.basename(pdf) })).toBeVisible();

  const before = await fortnoxState(page, DEMO.tenantId);
  await page.goto(`${projectUrl}/adjustments`);
  let dialog = await openAndCheck(page, "sv");
  // The PDF needs inbox + connectfile, which the connect did not ask for: the dialog says why and offers them.
  const permission = dialog.getByTestId("attachment-permission");
  await expect(permission).toContainText("Underlagen behöver en extra behörighet i Fortnox");
  await expect(permission).toContainText("inbox, connectfile");
  await expect(dialog.getByTestId("start-export")).toBeDisabled();
  await dialog.screenshot({ path: `${SHOTS}/export-permission-sv.png` });
  await setLanguage(page, "en");
  await page.goto(`${projectUrl}/adjustments`);
  dialog = await openAndCheck(page, "en");
  await expect(dialog.getByTestId("attachment-permission")).toContainText("The attachments need an extra permission in Fortnox");
  await dialog.screenshot({ path: `${SHOTS}/export-permission-en.png` });
  await setLanguage(page, "sv");
  await page.goto(`${projectUrl}/adjustments`);
  dialog = await openAndCheck(page, "sv");
  await dialog.getByRole("button", { name: "Ge den extra behörigheten" }).click();
  const extra = await consentAtFortnox(page, DEMO.name);
  expect(extra).toEqual(expect.arrayContaining(["bookkeeping", "inbox", "connectfile"]));
  // Back on the export, not on the connection page.
  await expect(page).toHaveURL(new RegExp(`/projects/[^/]+/adjustments\\?fortnox=connected`));
  await expect(page.getByTestId("attachment-permission-given")).toBeVisible();
  dialog = await openAndCheck(page, "sv");
  await expect(dialog.getByText("Kontrollerna är godkända", { exact: false })).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId("attachment-permission")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Exportera 1 verifikation" }).click();
  const list = page.getByTestId("adjustment-list");
  await expect(list.getByTestId("adjustment-status")).toHaveText([/^Exporterad som B \d+$/], { timeout: 60_000 });

  const after = await fortnoxState(page, DEMO.tenantId);
  expect(after.posted - before.posted).toBe(1);
  expect(after.files - before.files).toBe(1);
  expect(after.connections - before.connections).toBe(1);
  expect(after.invalidScope).toBe(0);
});

test("(b) a company without the invoicing module: the fetch succeeds, the check names the module, the export works", async ({ page }) => {
  const projectUrl = await newProject(page, "Sune", { name: NO_INVOICING.name, orgNr: NO_INVOICING.orgNr });
  const { connectionPage } = await connect(page, projectUrl, NO_INVOICING.name);
  await fetchYear(page, projectUrl);

  const checks = page.getByTestId("import-checks");
  const customer = checks.getByTestId("check-customerLedgerUnavailable");
  await expect(customer).toHaveAttribute("data-status", "warning");
  await expect(customer).toContainText("Kundreskontra ej tillgänglig: företaget saknar fakturamodulen i Fortnox");
  await expect(checks.getByTestId("check-supplierLedger")).toHaveAttribute("data-status", "ok");
  await expect(checks.getByTestId("check-vouchersBalance")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("schedule-customer-unavailable")).toContainText("fakturamodulen");
  await expect(page.getByTestId("schedule-supplier-difference")).toHaveText("0,00");
  await checks.screenshot({ path: `${SHOTS}/import-no-invoicing-sv.png` });

  // The 1510 schedule says why it has no automatic specification.
  await page.goto(`${projectUrl}/accounts/1510`);
  await expect(page.getByTestId("ledger-unavailable")).toContainText("Kundreskontra ej tillgänglig");
  await expect(page.getByTestId("ledger-sum")).toHaveCount(0);
  await page.getByTestId("schedule").screenshot({ path: `${SHOTS}/schedule-1510-no-invoicing-sv.png` });

  await setLanguage(page, "en");
  await page.goto(`${projectUrl}/import`);
  await expect(page.getByTestId("check-customerLedgerUnavailable")).toContainText("Customer ledger not available: the company has no invoicing module in Fortnox");
  await page.getByTestId("import-checks").screenshot({ path: `${SHOTS}/import-no-invoicing-en.png` });
  await setLanguage(page, "sv");

  // The connect messages that say who must act (shown by the connection page for the callback's error key).
  const clientConnection = connectionPage;
  for (const [lang, key, text] of [
    ["sv", "fortnoxInvalidScope", "utvecklarportal"],
    ["sv", "fortnoxNoLicence", "Kundens Fortnox saknar licens"],
  ] as const) {
    await page.goto(`${clientConnection}?error=${key}`);
    await expect(page.getByRole("alert").filter({ hasText: text })).toBeVisible();
    await page.getByRole("alert").filter({ hasText: text }).screenshot({ path: `${SHOTS}/connect-${key}-${lang}.png` });
  }
  await setLanguage(page, "en");
  for (const [key, text] of [["fortnoxInvalidScope", "developer portal"], ["fortnoxNoLicence", "customer's Fortnox has no licence"]] as const) {
    await page.goto(`${clientConnection}?error=${key}`);
    await expect(page.getByRole("alert").filter({ hasText: text })).toBeVisible();
    await page.getByRole("alert").filter({ hasText: text }).screenshot({ path: `${SHOTS}/connect-${key}-en.png` });
  }
  await setLanguage(page, "sv");

  await newAdjustment(page, projectUrl, "Bankavgift december", ["6570", "100"], ["1930", "100"]);
  const before = await fortnoxState(page, NO_INVOICING.tenantId);
  await page.goto(`${projectUrl}/adjustments`);
  const dialog = await openAndCheck(page, "sv");
  await expect(dialog.getByText("Kontrollerna är godkända", { exact: false })).toBeVisible({ timeout: 20_000 });
  await dialog.getByRole("button", { name: "Exportera 1 verifikation" }).click();
  await expect(page.getByTestId("adjustment-list").getByTestId("adjustment-status")).toHaveText([/^Exporterad som B \d+$/], { timeout: 60_000 });
  expect((await fortnoxState(page, NO_INVOICING.tenantId)).posted - before.posted).toBe(1);
});
