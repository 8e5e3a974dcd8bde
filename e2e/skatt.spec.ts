import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { connectDemoCompany, createClient, createFirm, createProject, signUp, uniqueEmail, YEAR } from "./helpers";

// The Skatt step against the app's own Fortnox sandbox: fetch the year, choose a periodiseringsfond, book the tax
// and the appropriations, export those vouchers to Fortnox (their numbers come back), and download the SRU pair.

test("Skatt: periodiseringsfond, booking, export to Fortnox and the SRU files", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, "Sara Skatt", uniqueEmail("sara"));
  await createFirm(page, "Saras Byrå");
  await createClient(page, "Demo Konsult AB", "556677-8899");
  await expect(page.getByRole("heading", { name: "Demo Konsult AB" })).toBeVisible();
  const projectUrl = await createProject(page);
  await expect(page.getByTestId("step-tax-state")).toHaveText("Väntar");

  await connectDemoCompany(page);
  await page.goto(`${projectUrl}/import`);
  await page.getByRole("button", { name: "Hämta bokföringsdata" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 45_000 });

  // The Skatt step, from the overview.
  await page.goto(projectUrl);
  await expect(page.getByTestId("step-tax-state")).toHaveText("Att göra");
  await page.getByRole("link", { name: "Gå till Skatt" }).click();
  await expect(page.getByRole("heading", { name: "Skatt", exact: true })).toBeVisible();
  await expect(page.getByTestId("check-balance")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("check-result")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("allocation-max")).toContainText(/Högst [\d\s\u00a0]+,\d\d kr/);

  // The fund the year starts with (the sandbox's company made one the year before): its schablonintäkt is shown, and
  // reversing part of it of one's own accord moves the taxable result at once.
  const funds = page.getByTestId("tax-funds");
  await expect(funds).toContainText(/Periodiseringsfond \d{4}.*45[\s\u00a0]000,00/);
  await expect(page.getByTestId("tax-schablon")).toContainText(/Schablonintäkt [\d\s\u00a0]+,\d\d kr/);
  const taxableBefore = await page.getByTestId("tax-taxable").innerText();
  await funds.getByLabel(/^Återförs i år, konto \d{4}/).fill("10 000");
  await expect(page.getByTestId("tax-taxable")).not.toHaveText(taxableBefore);

  // Choose the largest periodiseringsfond: the planning follows at once, before anything is saved.
  const taxBefore = await page.getByTestId("tax-amount").innerText();
  await page.getByRole("button", { name: "Största möjliga" }).click();
  await expect(page.getByTestId("allocation-now")).not.toHaveText("0,00");
  await expect(page.getByTestId("tax-amount")).not.toHaveText(taxBefore);
  // An INK2R field opens to its accounts, each linked to its analysis.
  await page.getByTestId("ink2r").getByRole("button").first().click();
  await expect(page.getByRole("table", { name: /Konton bakom/ }).getByRole("link").first()).toHaveAttribute("href", /\/accounts\/\d{4}\?view=analysis$/);

  await page.getByRole("button", { name: "Boka skatt och bokslutsdispositioner" }).click();
  await expect(page.getByText(/Skatt och bokslutsdispositioner är bokade: verifikation \d+(, \d+)*\..*Årets resultat [\d\s\u00a0]+,\d\d är bokat/)).toBeVisible({ timeout: 20_000 });
  // Allocation, the reversal, the tax, and the year's result.
  await expect(page.getByTestId("tax-vouchers").getByRole("listitem")).toHaveCount(4);
  await page.screenshot({ path: "/tmp/skatt-sv.png", fullPage: true });

  // Export them with the adjustments page's dialog: their Fortnox numbers come back.
  await page.getByRole("link", { name: /Exportera verifikationerna till Fortnox/ }).click();
  const list = page.getByTestId("adjustment-list");
  await expect(list.getByTestId("adjustment-status")).toHaveText(Array(4).fill("Ej exporterad"));
  await page.getByRole("button", { name: "Exportera verifikationer …" }).click();
  const dialog = page.getByRole("dialog", { name: "Välj verifikationer och serie" });
  await dialog.getByLabel("Välj alla").check();
  await dialog.getByLabel("Verifikationsserie i Fortnox").selectOption("B");
  await dialog.getByRole("button", { name: "Kontrollera och förhandsgranska" }).click();
  await expect(dialog.getByText("Kontrollerna är godkända", { exact: false })).toBeVisible({ timeout: 20_000 });
  await dialog.getByRole("button", { name: "Exportera 4 verifikationer" }).click();
  await expect(list.getByTestId("adjustment-status")).toHaveText(Array(4).fill(/^Exporterad som B \d+$/), { timeout: 45_000 });

  // Back in the Skatt step: the numbers are shown, the SRU check asks for the address, then the two files.
  await page.goto(`${projectUrl}/tax`);
  await expect(page.getByTestId("tax-vouchers")).toContainText(/Exporterad som B \d+/);
  await expect(page.getByTestId("sru-problems")).toContainText("postnummer");
  await page.getByLabel("Postnummer").fill("114 55");
  await page.getByLabel("Postort").fill("Stockholm");
  await page.getByRole("button", { name: "Spara adress" }).click();
  await expect(page.getByTestId("sru-ok")).toBeVisible();
  const names: string[] = [];
  let blanketter = "";
  for (const file of ["INFO.SRU", "BLANKETTER.SRU"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Hämta ${file}` }).click()]);
    names.push(download.suggestedFilename());
    if (file === "BLANKETTER.SRU") blanketter = readFileSync((await download.path())!, "latin1");
  }
  expect(names).toEqual(["INFO.SRU", "BLANKETTER.SRU"]);
  expect(blanketter).toContain(`#BLANKETT INK2R-${YEAR}P4\r\n`);
  expect(blanketter).toContain(`#BLANKETT INK2S-${YEAR}P4\r\n`);
  expect(blanketter).toMatch(/#UPPGIFT 7525 \d+\r\n/); // the periodiseringsfond, on INK2R 3.21

  // The overview's Skatt step is done: the vouchers are booked and the year's result after them too.
  await page.goto(projectUrl);
  await expect(page.getByTestId("step-tax-state")).toHaveText("Klart");
  await page.goto(`${projectUrl}/tax`);

  // The printable view, then English.
  await page.getByRole("link", { name: "Utskriftsvänlig INK2R och INK2S" }).click();
  await expect(page.getByRole("heading", { name: /INK2R/ })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: "/tmp/skatt-print.png", fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.goto(`${projectUrl}/tax`);
  await page.getByLabel("Språk").first().selectOption("en");
  await expect(page.getByRole("heading", { name: "Tax", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Book tax and appropriations" })).toBeVisible();
  await page.screenshot({ path: "/tmp/skatt-en.png", fullPage: true });
});
