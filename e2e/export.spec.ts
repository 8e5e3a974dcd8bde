import { expect, test, type Page } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sandboxApi } from "./fortnox-sandbox";
import { connectDemoCompany, createClient, createFirm, createProject, signUp, uniqueEmail, YEAR } from "./helpers";

// The last step against the app's own Fortnox sandbox: two closing adjustments, one with a PDF, exported to the
// series chosen in the dialog; their Fortnox numbers come back, and the PDF is connected to its voucher.

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

test("export two adjustments to the series chosen in the dialog, see their Fortnox numbers and the attachment connected", async ({ page, baseURL }) => {
  // Connect, fetch, two adjustments, the attachment consent and the export: more than a minute on a busy machine.
  test.setTimeout(180_000);
  await signUp(page, "Elsa Export", uniqueEmail("elsa"));
  await createFirm(page, "Elsas Byrå");
  await createClient(page, "Demo Konsult AB", "556677-8899");
  await expect(page.getByRole("heading", { name: "Demo Konsult AB" })).toBeVisible();
  const projectUrl = await createProject(page);

  await connectDemoCompany(page);
  await page.goto(`${projectUrl}/import`);
  await page.getByRole("button", { name: "Hämta bokföringsdata" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 45_000 });

  await newAdjustment(page, projectUrl, "Upplupen revisionskostnad", ["6420", "15000"], ["2990", "15000"]);
  const pdf = path.join(tmpdir(), `revisionsoffert-${Date.now()}.pdf`);
  writeFileSync(pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.getByLabel("Välj filer att bifoga").setInputFiles(pdf);
  await expect(page.getByTestId("attachment").filter({ hasText: path.basename(pdf) })).toBeVisible();
  await newAdjustment(page, projectUrl, "Bankavgift december", ["6570", "100"], ["1930", "100"]);

  await page.goto(`${projectUrl}/adjustments`);
  const list = page.getByTestId("adjustment-list");
  await expect(list.getByTestId("adjustment-status")).toHaveText(["Ej exporterad", "Ej exporterad"]);
  const openAndCheck = async () => {
    await page.getByRole("button", { name: "Exportera verifikationer …" }).click();
    const dialog = page.getByRole("dialog", { name: "Välj verifikationer och serie" });
    await dialog.getByLabel("Välj alla").check();
    // Only manual series can be chosen; the closing series "B – Bokslut" it is.
    await expect(dialog.getByRole("option", { name: /F – Kundfakturor/ })).toBeDisabled();
    await dialog.getByLabel("Verifikationsserie i Fortnox").selectOption("B");
    await dialog.getByRole("button", { name: "Kontrollera och förhandsgranska" }).click();
    return dialog;
  };
  // The PDF needs the attachment permission, which the connect did not ask for: one more consent, then back here.
  let dialog = await openAndCheck();
  await dialog.getByRole("button", { name: "Ge den extra behörigheten" }).click();
  await page.getByLabel(/Demo Konsult AB/).check();
  await page.getByRole("button", { name: "Godkänn" }).click();
  await expect(page.getByTestId("attachment-permission-given")).toBeVisible();
  dialog = await openAndCheck();
  await expect(dialog.getByText("Kontrollerna är godkända", { exact: false })).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId("export-preview")).toContainText(`Serie B · ${YEAR}-12-31 · Upplupen revisionskostnad`);
  await dialog.getByRole("button", { name: "Exportera 2 verifikationer" }).click();

  await expect(list.getByTestId("adjustment-status")).toHaveText([/^Exporterad som B \d+$/, /^Exporterad som B \d+$/], { timeout: 45_000 });
  const numbers = (await list.getByTestId("adjustment-status").allInnerTexts()).map((s) => Number(s.split(" ").pop()));
  expect(new Set(numbers).size).toBe(2);
  await expect(page.getByText("2 verifikationer exporterades till Fortnox.")).toBeVisible();

  // In Fortnox, read through the API with a grant of our own: both vouchers with their texts, the PDF connected
  // to the first one.
  const fortnox = await sandboxApi(page.request, baseURL!);
  const texts: string[] = [];
  for (const n of numbers) {
    const v = await fortnox.get<{ Voucher: { Description: string } }>(`vouchers/B/${n}?financialyeardate=${YEAR}-12-31`);
    expect(v.status).toBe(200);
    texts.push(v.body.Voucher.Description);
  }
  expect(texts.sort()).toEqual(["Bankavgift december", "Upplupen revisionskostnad"]);
  const files = await fortnox.get<{ VoucherFileConnections: { VoucherSeries: string; VoucherNumber: string; VoucherDescription: string }[] }>("voucherfileconnections");
  const connected = files.body.VoucherFileConnections.filter((f) => f.VoucherSeries === "B" && numbers.includes(Number(f.VoucherNumber)));
  expect(connected.map((f) => f.VoucherDescription)).toEqual(["Upplupen revisionskostnad"]);

  // The overview's last step is done.
  await page.goto(projectUrl);
  await expect(page.getByTestId("step-export-state")).toHaveText("Klart");
});
