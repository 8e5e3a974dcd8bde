import { expect, test } from "@playwright/test";
import { createClient, createFirm, signUp, uniqueEmail, YEAR } from "./helpers";

// Connect → import → summary and checks, against the app's own Fortnox sandbox (next start in sandbox mode).

test("connect to Fortnox, fetch the year, see the summary, the checks and the 1510/2440 schedules; fetch again: nothing changed", async ({ page }) => {
  await signUp(page, "Ivar", uniqueEmail("ivar"));
  await createFirm(page, "Ivars Byrå");
  await createClient(page, "Demo Konsult AB", "556677-8899");
  await expect(page.getByRole("heading", { name: "Demo Konsult AB" })).toBeVisible();
  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  await page.getByRole("button", { name: "Nytt bokslut" }).click();
  await expect(page.getByRole("heading", { name: `Bokslut ${YEAR}` })).toBeVisible();
  const projectUrl = page.url();

  // Before the connection, the fetch step says what to do first.
  await expect(page.getByTestId("step-import-state")).toHaveText("Väntar");
  await page.getByRole("link", { name: "Gå till Koppla" }).click();
  await page.getByRole("button", { name: "Anslut till Fortnox" }).click();
  await page.getByLabel(/Demo Konsult AB/).check();
  await page.getByRole("button", { name: "Godkänn" }).click();
  await expect(page.getByTestId("connection-state")).toHaveText("Kopplad");

  await page.goto(projectUrl);
  await page.getByRole("link", { name: "Gå till Hämta bokföringsdata" }).click();
  await expect(page.getByText("Ingen bokföringsdata är hämtad än")).toBeVisible();
  await page.getByRole("button", { name: "Hämta bokföringsdata" }).click();
  await expect(page.getByRole("heading", { name: "Senaste hämtningen" })).toBeVisible({ timeout: 45_000 });

  await expect(page.getByTestId("count-vouchers")).not.toHaveText("0");
  await expect(page.getByTestId("count-customerItems")).not.toHaveText("0");
  const checks = page.getByTestId("import-checks");
  for (const key of ["orgNr", "vouchersBalance", "balancesAgree", "customerLedger", "supplierLedger"]) {
    await expect(checks.getByTestId(`check-${key}`), key).toHaveAttribute("data-status", "ok");
  }
  await expect(checks).toContainText("Kundreskontran stämmer med konto 1510");
  await expect(page.getByTestId("schedule-customer-difference")).toHaveText("0,00");
  await expect(page.getByTestId("schedule-supplier-difference")).toHaveText("0,00");
  await expect(page.getByTestId("schedule-customer-sum")).not.toHaveText("0,00");

  await page.getByRole("button", { name: "Hämta igen" }).click();
  await expect(page.getByTestId("diff-none")).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId("import-history").locator("tbody tr")).toHaveCount(2);

  await page.goto(projectUrl);
  await expect(page.getByTestId("step-import-state")).toHaveText("Klart");
});
