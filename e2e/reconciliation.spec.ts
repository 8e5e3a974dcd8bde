import { expect, test, type Page } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoSieFile } from "./fixtures";
import { createClient, createFirm, createProject, signUp, uniqueEmail, YEAR } from "./helpers";

// The accountant's day between import and export: trial balance, account analysis, a PDF on 1510's schedule,
// an adjustment that moves the adjusted balance at once, and a sign-off.

const NBSP = /[\s\u00a0\u202f]/g;
const ore = (text: string) => {
  const s = text.replace(NBSP, "").replace("−", "-");
  const [kr, dec] = s.split(",");
  return Number(kr) * 100 + Math.sign(Number(kr) || (s.startsWith("-") ? -1 : 1)) * Number(dec);
};

async function importDemo(page: Page) {
  const sie = demoSieFile({ year: YEAR });
  await signUp(page, "Rita Revisor", uniqueEmail("rita"));
  // On a busy machine the onboarding form can be submitted before React has hydrated it (a plain GET).
  await expect(page.getByRole("heading", { name: /Välkommen/ })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await createFirm(page, "Ritas Redovisning");
  await createClient(page, sie.name, sie.orgNr);
  await expect(page.getByRole("heading", { name: sie.name })).toBeVisible();
  await createProject(page, { source: "sie" });
  await page.getByRole("link", { name: "Gå till Hämta bokföringsdata" }).click();
  await page.getByLabel(/SIE-fil/).setInputFiles(sie.path);
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("link", { name: `Bokslut ${YEAR}` }).click();
}

test("trial balance, account analysis, a PDF on 1510's schedule, an adjustment and a sign-off", async ({ page }) => {
  await importDemo(page);

  // The trial balance of the imported year, with the check.
  await page.getByRole("link", { name: "Gå till Avstämning" }).click();
  await expect(page.getByRole("heading", { name: "Avstämning", exact: true })).toBeVisible();
  await expect(page.getByTestId("balance-check")).toHaveText("Balansräkningen och resultaträkningen stämmer överens.");
  const table = page.getByTestId("trial-balance-balance");
  await expect(table.getByRole("rowheader", { name: "Tillgångar", exact: true })).toBeVisible();
  await expect(table.getByText("19 Kassa och bank")).toBeVisible();
  const ub1930 = ore(await page.getByTestId("tb-ub-1930").innerText());
  expect(ub1930).not.toBe(0);

  // Drill into 1930: IB, vouchers with a running balance, UB.
  await page.getByRole("link", { name: "Kontoanalys för 1930: utgående balans", exact: true }).click();
  await expect(page.getByTestId("account-title")).toContainText("1930 Företagskonto");
  const analysis = page.getByTestId("analysis");
  await expect(analysis.getByTestId("analysis-opening")).toContainText("Ingående balans");
  await expect(analysis.getByTestId("analysis-row").first()).toBeVisible();
  // A long account pages; the last page ends at UB.
  const lastPage = analysis.getByRole("button", { name: "Sista" });
  if (await lastPage.count()) await lastPage.first().click();
  await expect(analysis.getByTestId("analysis-closing")).toContainText("Utgående balans");
  expect(ore(await analysis.getByTestId("analysis-closing").locator("td").last().innerText())).toBe(ub1930);
  expect(ore(await analysis.getByTestId("analysis-row").last().locator("td").last().innerText())).toBe(ub1930);
  // A voucher opens in place with all its rows.
  await analysis.getByTestId("analysis-row").last().getByRole("button").click();
  await expect(analysis.getByTestId("voucher-detail")).toContainText("Verifikation");

  // A PDF on 1510's schedule, previewed in the page.
  await page.getByRole("link", { name: "Avstämning" }).first().click();
  await page.getByTestId("tb-row-1510").getByRole("link", { name: "1510", exact: true }).click();
  await expect(page.getByTestId("account-title")).toContainText("1510 Kundfordringar");
  // Dropped onto the schedule, as a user drags it from the desktop.
  const pdfName = `Kundreskontra-${Date.now()}.pdf`;
  const drop = await page.evaluateHandle((name) => {
    const dt = new DataTransfer();
    const body = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    dt.items.add(new File([body], name, { type: "application/pdf" }));
    return dt;
  }, pdfName);
  await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: drop });
  const attachment = page.getByTestId("attachment").filter({ hasText: pdfName });
  await expect(attachment).toBeVisible();
  const preview = attachment.getByTestId("attachment-preview").locator("iframe");
  await expect(preview).toBeVisible();
  const src = await preview.getAttribute("src");
  const res = await page.request.get(src!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect(res.headers()["content-disposition"]).toMatch(/^inline;/);
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  // A file that is not what its name says is refused with a message.
  const fake = path.join(tmpdir(), `faktura-${Date.now()}.pdf`);
  writeFileSync(fake, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));
  await page.getByLabel("Välj filer att bifoga").setInputFiles(fake);
  await expect(page.getByText(`Innehållet i ${path.basename(fake)} är inte en PDF-fil.`, { exact: false })).toBeVisible();
  await expect(page.getByTestId("attachment")).toHaveCount(1);

  // An adjustment: bank fee 100,00 on 1930; the trial balance's adjusted balance follows.
  await page.getByRole("link", { name: "Justeringar" }).first().click();
  await page.getByRole("link", { name: "Ny justering" }).click();
  await page.getByLabel("Verifikationstext").fill("Bankavgift december");
  await page.getByLabel("Konto, rad 1").fill("6570");
  await page.getByLabel("Debet, rad 1").fill("100");
  await page.getByLabel("Konto, rad 2").fill("1930");
  await page.getByLabel("Kredit, rad 2").fill("100,00");
  await expect(page.getByTestId("balance-state")).toHaveText("Balanserar");
  await page.getByRole("button", { name: "Spara justeringen" }).click();
  await expect(page.getByText("Justeringen är sparad.")).toBeVisible();
  await expect(page.getByTestId("adjustment-status")).toHaveText("Ej exporterad");
  await page.getByRole("link", { name: "Avstämning" }).first().click();
  await expect(page.getByTestId("tb-adj-1930")).toHaveText("−100,00");
  expect(ore(await page.getByTestId("tb-adjusted-1930").innerText())).toBe(ub1930 - 10_000);

  // Specify 1930 to the öre and sign it off.
  await page.getByTestId("tb-row-1930").getByRole("link", { name: "1930", exact: true }).click();
  await expect(page.getByTestId("schedule")).toBeVisible();
  const adjusted = await page.getByTestId("schedule-adjusted").innerText();
  await page.getByRole("button", { name: "Lägg till rad" }).click();
  await page.getByLabel("Text, rad 1").fill("Kontoutdrag 31 december");
  await page.getByLabel("Belopp, rad 1").fill(adjusted);
  await page.getByRole("button", { name: "Spara specifikationen" }).click();
  await expect(page.getByTestId("schedule-difference")).toHaveText("0,00");
  await page.getByTestId("sign-off").click();
  await expect(page.getByTestId("signed-off")).toContainText("Signerad som avstämd av Rita Revisor");
  await expect(page.getByTestId("schedule").getByTestId("status-chip").first()).toHaveText("Avstämd");
  await page.getByRole("link", { name: "Avstämning" }).first().click();
  await expect(page.getByTestId("tb-status-1930")).toHaveText("Avstämd");
  await expect(page.getByTestId("reconcile-progress")).toContainText("1 av");
});
