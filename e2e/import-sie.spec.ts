import { expect, test } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoSieFile } from "./fixtures";
import { createClient, createFirm, createProject, signUp, uniqueEmail, YEAR } from "./helpers";

test("import a SIE file: progress, summary and checks; a file that is not SIE is refused and changes nothing", async ({ page }) => {
  const sie = demoSieFile({ year: YEAR });
  await signUp(page, "Sara Sie", uniqueEmail("sara"));
  await createFirm(page, "Saras Byrå");
  await createClient(page, sie.name, sie.orgNr);
  await expect(page.getByRole("heading", { name: sie.name })).toBeVisible();
  await createProject(page, { source: "sie" });

  await page.getByRole("link", { name: "Gå till Hämta bokföringsdata" }).click();
  await expect(page.getByRole("heading", { name: "Hämta bokföringsdata" })).toBeVisible();
  await expect(page.getByText("Ingen bokföringsdata är hämtad än")).toBeVisible();

  // Not a SIE file, whatever its name says: a clear message, and still nothing imported.
  const fake = path.join(tmpdir(), `faktura-${Date.now()}.se`);
  writeFileSync(fake, "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
  await page.getByLabel(/SIE-fil/).setInputFiles(fake);
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  await expect(page.getByText("Filen är ingen SIE-fil.", { exact: false })).toBeVisible();
  await expect(page.getByText("Ingen bokföringsdata är hämtad än")).toBeVisible();

  await page.getByLabel(/SIE-fil/).setInputFiles(sie.path);
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("count-vouchers")).not.toHaveText("0");
  const checks = page.getByTestId("import-checks");
  await expect(checks.getByTestId("check-vouchersBalance")).toHaveAttribute("data-status", "ok");
  await expect(checks.getByTestId("check-balancesAgree")).toHaveAttribute("data-status", "ok");
  await expect(checks.getByTestId("check-orgNr")).toHaveAttribute("data-status", "ok");
  await expect(checks).toContainText("Alla verifikationer balanserar");

  // A file another program wrote less carefully: imported, with each remark in Swedish and the file's own detail.
  const rough = path.join(tmpdir(), `grov-${Date.now()}.se`);
  writeFileSync(rough, [
    "#FLAGGA 0", "#SIETYP 4", `#ORGNR ${sie.orgNr}`, `#FNAMN "${sie.name}"`, `#RAR 0 ${YEAR}0101 ${YEAR}1231`, "#PROGRAMMET Okänt 1",
    '#KONTO 1930 "Bank"', '#KONTO 3001 "Försäljning"', "#UB 0 1930 100.00", "#RES 0 3001 -100.00",
    `#VER A 1 ${YEAR}0105 "Kontantförsäljning"`, "{", "#TRANS 1930 {} 100,00", "#TRANS 3001 {} -100.00", "}", "",
  ].join("\r\n"));
  await page.getByLabel(/SIE-fil/).setInputFiles(rough);
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  const remarks = page.getByTestId("import-warnings");
  await expect(remarks).toContainText("Okänd post hoppades över: #PROGRAMMET", { timeout: 30_000 });
  await expect(remarks).toContainText("Beloppet har decimalkomma i stället för decimalpunkt");
  await page.screenshot({ path: "test-results/import-sie-warnings-sv.png", fullPage: true });

  // The overview now says the data is fetched.
  await page.getByRole("link", { name: `Bokslut ${YEAR}` }).click();
  await expect(page.getByTestId("step-import-state")).toHaveText("Klart");
});
