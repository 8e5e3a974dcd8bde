import { expect, test } from "@playwright/test";
import path from "node:path";
import { createClient, createFirm, signUp, uniqueEmail, YEAR } from "./helpers";

// SIE 1 and SIE 2 files hold no vouchers by design: the balance check says what it compared, or that it does not
// apply, instead of flagging every account (fixtures: server/sie/fixtures/README.md).
const fixture = (name: string) => path.join(process.cwd(), "server/sie/fixtures", name);

test("SIE 2 is checked against its period balances; SIE 1 says the check does not apply", async ({ page }) => {
  await signUp(page, "Per Period", uniqueEmail("per"));
  await createFirm(page, "Pers Byrå");
  await createClient(page, "Ängens Snickeri AB", "556036-0793");
  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  await page.getByLabel("Datakälla").selectOption("sie");
  await page.getByRole("button", { name: "Nytt bokslut" }).click();
  await page.getByRole("link", { name: "Gå till Hämta bokföringsdata" }).click();

  const checks = page.getByTestId("import-checks");
  const balances = checks.getByTestId("check-balancesAgree");
  await page.getByLabel(/SIE-fil/).setInputFiles(fixture("sie2-period-balances.se"));
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  await expect(balances).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
  await expect(balances).toContainText("Ingående balans + årets periodsaldon = utgående balans för alla konton");

  await page.getByLabel(/SIE-fil/).setInputFiles(fixture("sie1-year-end-balances.se"));
  await page.getByRole("button", { name: "Läs in SIE-filen" }).click();
  await expect(balances).toHaveAttribute("data-status", "skipped", { timeout: 30_000 });
  await expect(balances).toContainText("gäller inte en SIE 1-fil");
});
