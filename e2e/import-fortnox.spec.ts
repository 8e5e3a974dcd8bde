import { expect, test } from "@playwright/test";
import { connectDemoCompany, createClient, createFirm, createProject, signUp, uniqueEmail } from "./helpers";

// Connect → import → summary and checks, against the app's own Fortnox sandbox (next start in sandbox mode).

test("connect to Fortnox, fetch the year, see the summary, the checks and the 1510/2440 schedules; fetch again: nothing changed", async ({ page }) => {
  await signUp(page, "Ivar", uniqueEmail("ivar"));
  await createFirm(page, "Ivars Byrå");
  await createClient(page, "Demo Konsult AB", "556677-8899");
  await expect(page.getByRole("heading", { name: "Demo Konsult AB" })).toBeVisible();
  const projectUrl = await createProject(page);

  // Before the connection, the fetch step says what to do first.
  await expect(page.getByTestId("step-import-state")).toHaveText("Väntar");
  await connectDemoCompany(page);

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
