import { expect, test } from "@playwright/test";
import { createClient, createFirm, fromOwnAddress, signIn, signUp, uniqueEmail, YEAR } from "./helpers";

test("sign up → firm → client (bad org nr refused) → project → overview → sign out", async ({ page }) => {
  const email = uniqueEmail("anna");
  await signUp(page, "Anna Andersson", email);
  await createFirm(page, "Anderssons Redovisning");
  await expect(page.getByText("Inga klienter än")).toBeVisible();

  // A wrong check digit is refused with its message and nothing is saved.
  await createClient(page, "Felaktiga AB", "556036-0794");
  await expect(page.getByText(/kontrollsiffran stämmer inte/)).toBeVisible();
  await page.reload();
  await expect(page.getByText("Inga klienter än")).toBeVisible();

  await createClient(page, "Demo Konsult AB", "556036-0793");
  await expect(page.getByRole("heading", { name: "Demo Konsult AB" })).toBeVisible();
  await expect(page.getByText("556036-0793")).toBeVisible();

  await page.getByLabel("Räkenskapsårets första dag").fill(`${YEAR}-01-01`);
  await page.getByLabel("Räkenskapsårets sista dag").fill(`${YEAR}-12-31`);
  await page.getByRole("button", { name: "Nytt bokslut" }).click();

  await expect(page.getByRole("heading", { name: `Bokslut ${YEAR}` })).toBeVisible();
  const steps = page.getByRole("list", { name: "Översikt" });
  for (const s of ["Koppla", "Hämta bokföringsdata", "Avstämning", "Justeringar", "Exportera"]) await expect(steps).toContainText(s);
  await expect(page.getByTestId("step-connect-state")).toHaveText("Att göra");
  await expect(page.getByTestId("step-import-state")).toHaveText("Väntar");

  await page.getByRole("link", { name: "Aktivitetslogg" }).click();
  await expect(page.getByRole("cell", { name: "Bokslutet skapades" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Anna Andersson" })).toBeVisible();

  await page.getByRole("button", { name: "Logga ut" }).click();
  await expect(page.getByRole("heading", { name: "Logga in" })).toBeVisible();
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fclients/);
});

test("the help-center link /connections/fortnox: signed out → sign in → back; one client → its connection page", async ({ page }) => {
  const email = uniqueEmail("bo");
  await signUp(page, "Bo Berg", email);
  await createFirm(page, "Bergs Byrå");
  await page.getByRole("button", { name: "Logga ut" }).click();
  await expect(page.getByRole("heading", { name: "Logga in" })).toBeVisible();

  await page.goto("/connections/fortnox");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fconnections%2Ffortnox/);
  await signIn(page, email);
  // No clients yet: the page says what to do.
  await expect(page.getByText("Byrån har inga klienter än")).toBeVisible();

  await createClient(page, "Ett AB", "556036-0793");
  await expect(page.getByRole("heading", { name: "Ett AB" })).toBeVisible();
  await page.goto("/connections/fortnox");
  await expect(page).toHaveURL(/\/clients\/[0-9a-f-]+\/connection$/);
  await expect(page.getByRole("heading", { name: "Fortnox-koppling för Ett AB" })).toBeVisible();

  await createClient(page, "Två AB", "212000-0142");
  await expect(page.getByRole("heading", { name: "Två AB" })).toBeVisible();
  await page.goto("/connections/fortnox");
  await expect(page.getByRole("heading", { name: "Välj klient att koppla till Fortnox" })).toBeVisible();
  await page.getByRole("link", { name: /Två AB/ }).click();
  await expect(page.getByRole("heading", { name: "Fortnox-koppling för Två AB" })).toBeVisible();
});

test("English is complete and the choice is kept on the account", async ({ page }) => {
  const email = uniqueEmail("cleo");
  await signUp(page, "Cleo", email);
  await createFirm(page, "Cleos Byrå");
  await page.getByLabel("Språk").first().selectOption("en");
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // The cookie goes with sign-out, but signing in again brings back the saved choice.
  await page.context().clearCookies();
  await page.goto("/signin");
  await signIn(page, email);
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
});

test("an invite link lets a colleague join the firm and see its clients", async ({ page, browser }) => {
  await signUp(page, "Dan", uniqueEmail("dan"));
  await createFirm(page, "Dans Byrå");
  await createClient(page, "Delad AB", "556036-0793");
  await page.goto("/settings");
  await page.getByRole("button", { name: "Skapa inbjudningslänk" }).click();
  const link = await page.getByLabel("Inbjudningslänk").inputValue();

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await fromOwnAddress(p2);
  await p2.goto(link);
  await expect(p2.getByRole("heading", { name: "Inbjudan till Dans Byrå" })).toBeVisible();
  await p2.getByRole("link", { name: "Skapa konto" }).click();
  await p2.getByLabel("Namn").fill("Eva");
  await p2.getByLabel("E-post").fill(uniqueEmail("eva"));
  await p2.getByLabel("Lösenord").fill("ett riktigt bra lösenord");
  await p2.getByRole("button", { name: "Skapa konto" }).click();
  await p2.getByRole("button", { name: "Gå med i Dans Byrå" }).click();
  await expect(p2.getByRole("link", { name: "Delad AB" })).toBeVisible();
  await other.close();
});
