import { expect, test, type Browser, type Page } from "@playwright/test";
import { createClient, createFirm, fromOwnAddress, PASSWORD, signUp, uniqueEmail } from "./helpers";

// In the browser: an owner invites a colleague with a single-use link, the link's second use is refused,
// the owner removes the colleague, who then sees nothing of the firm. Every page carries a CSP, and Chromium
// reports no violation of it along the way (Next.js's own scripts run under the nonce).

const violations: string[] = [];

function watch(page: Page) {
  page.on("console", (m) => {
    if (/content security policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => violations.push(`${page.url()}: ${e.message}`));
}

async function newPerson(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

test("single-use invite, second use refused, removed colleague sees nothing; no CSP violation", async ({ page, browser }, testInfo) => {
  // Three people sign up (a bcrypt hash each) and walk several pages: more than the default minute on a busy machine.
  test.setTimeout(240_000);
  watch(page);
  const owner = uniqueEmail("olle");
  await signUp(page, "Olle Ägare", owner);
  await createFirm(page, "Olles Byrå");
  await createClient(page, "Hemlig AB", "556036-0793");
  await expect(page.getByRole("heading", { name: "Hemlig AB" })).toBeVisible();
  const clientUrl = page.url();

  const settings = await page.goto("/settings");
  const csp = settings!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  await page.waitForLoadState("networkidle");
  await expect(page.getByLabel("Antal personer")).toHaveValue("1");
  await page.getByRole("button", { name: "Skapa inbjudningslänk" }).click();
  const link = await page.getByLabel("Inbjudningslänk").inputValue();
  await expect(page.getByTestId("invite").first()).toContainText("Skapad av Olle Ägare");
  await expect(page.getByTestId("invite").first()).toContainText("Använd 0 av 1");

  // The colleague joins with the link.
  const eva = await newPerson(browser);
  await fromOwnAddress(eva.page);
  await eva.page.goto(link);
  await expect(eva.page.getByRole("heading", { name: "Inbjudan till Olles Byrå" })).toBeVisible();
  await eva.page.getByRole("link", { name: "Skapa konto" }).click();
  await eva.page.getByLabel("Namn").fill("Eva Kollega");
  await eva.page.getByLabel("E-post").fill(uniqueEmail("eva"));
  await eva.page.getByLabel("Lösenord").fill(PASSWORD);
  await eva.page.getByRole("button", { name: "Skapa konto" }).click();
  await eva.page.getByRole("button", { name: "Gå med i Olles Byrå" }).click();
  await expect(eva.page.getByRole("link", { name: "Hemlig AB" })).toBeVisible();

  // A second person with the same link: refused.
  const third = await newPerson(browser);
  await third.page.goto(link);
  await expect(third.page.getByText("Inbjudningslänken är ogiltig eller har gått ut")).toBeVisible();
  await signUp(third.page, "Tredje", uniqueEmail("tredje"), new URL(link).pathname);
  await expect(third.page.getByText("Inbjudningslänken är ogiltig eller har gått ut")).toBeVisible();
  await expect(third.page.getByRole("button", { name: /Gå med/ })).toHaveCount(0);

  // The owner sees the link used, and removes Eva (keyboard only).
  await page.reload();
  await expect(page.getByTestId("invite").first()).toContainText("Använd 1 av 1");
  await expect(page.getByTestId("invite").first()).toContainText("förbrukad");
  const evaRow = page.getByTestId("member").filter({ hasText: "Eva Kollega" });
  await expect(evaRow.getByTestId("member-role")).toHaveText("Medlem");
  await page.screenshot({ path: testInfo.outputPath("settings-sv.png"), fullPage: true });
  await evaRow.getByRole("button", { name: "Ta bort Eva Kollega" }).focus();
  await page.keyboard.press("Enter");
  await expect(evaRow.getByRole("alertdialog")).toContainText("Ta bort Eva Kollega ur byrån?");
  await expect(evaRow.getByRole("button", { name: "Ja, ta bort" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("member").filter({ hasText: "Eva Kollega" })).toHaveCount(0);

  // Eva, still holding her session: nothing of the firm, on pages and through the API.
  await eva.page.goto("/clients");
  await expect(eva.page.getByRole("heading", { name: /Välkommen/ })).toBeVisible();
  await eva.page.goto(clientUrl);
  await expect(eva.page).toHaveURL(/\/onboarding$/);
  const api = await eva.page.request.get("/api/trpc/client.list");
  expect(api.status()).toBe(403);
  expect(await api.text()).not.toContain("Hemlig AB");

  // English, for the screenshot.
  await page.getByLabel("Språk").first().selectOption("en");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("settings-en.png"), fullPage: true });

  await eva.context.close();
  await third.context.close();
  expect(violations).toEqual([]);
});
