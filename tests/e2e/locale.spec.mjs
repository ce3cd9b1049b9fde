// The checkout in French, the second locale of its translation table: what a payer in Rwanda
// reads from the form to the receipt, the amounts and the rate written the French way by the
// browser's Intl, the misconfigured checkout, the card field, and `locale="auto"`.
import { test, expect } from "@playwright/test";
import { audit, executionsFor, receiptRows, refuseForms, rwandaReceiptInFrench } from "./helpers.mjs";
import { crowded, linesOf, pastTheScreen } from "./layout.mjs";

/** Runs of white space (Intl's no-break and narrow no-break spaces among them) as one space. */
const plain = (text) => text.replace(/\s+/g, " ").trim();

/** The language `element` is marked as written in. */
const language = (element) => element.closest("[lang]")?.lang;

/** Opens the static shop (strict CSP) with its checkout in `locale` and waits for the form; the
 *  order's number. */
async function openShopIn(page, locale) {
  await page.goto(`/shop/?locale=${locale}`);
  const widget = page.locator("dollr-checkout");
  await widget.getByTestId("payment-form").waitFor();
  const heading = await widget.getByTestId("order-summary").getByRole("heading").textContent();
  return { widget, number: heading.split("·")[1].trim() };
}

test("a payer in Rwanda reads and pays the checkout in French, amounts and rate written the French way, the receipt too", async ({ page, request }) => {
  const { widget, number } = await openShopIn(page, "fr");
  expect(await widget.getByTestId("dollr-checkout").evaluate(language)).toBe("fr");
  await expect(widget.getByRole("region", { name: "Paiement" })).toBeVisible();
  await expect(widget.getByTestId("order-summary").getByRole("heading")).toHaveText(`Récapitulatif de la commande · ${number}`);
  await expect(widget.getByRole("group", { name: "Comment souhaitez-vous payer\u202f?" })).toBeVisible();
  const phone = widget.getByRole("textbox", { name: "Numéro Mobile Money" });
  await phone.fill("+250 78 123 1111");
  await expect(widget.getByTestId("country")).toHaveValue("RW");
  await expect(phone).toHaveAccessibleDescription("Le numéro du compte qui paie, p.\u00a0ex.\u00a0078\u00a0123\u00a04567.");
  await expect(widget.getByTestId("operator")).toHaveValue("MTN_MOMO_RWA");
  // Francs have no minor unit; French groups digits with a narrow no-break space and writes
  // the currency after the amount.
  await expect(widget.getByTestId("quote-amount")).toHaveText("33\u202f644\u00a0RWF");
  await expect(widget.getByTestId("quote-rate")).toHaveText("Taux de change\u202f: 1\u00a0USD = 1\u202f300\u00a0RWF");
  // Dollr's fee in dollars, the network's in francs: two amounts, joined in French.
  expect(plain(await widget.getByTestId("quote").locator("p").first().textContent())).toBe("Vous payez 33 644 RWF dont des frais de 0,63 $US et 325 RWF.");
  await expect(widget.getByTestId("pay")).toHaveText("Payer 33\u202f644\u00a0RWF");
  expect(await audit(page, "dollr-checkout")).toEqual([]);
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("waiting").getByRole("heading")).toHaveText("Approuvez le paiement sur votre téléphone");
  await expect(widget.getByTestId("status")).toHaveText("Approuvez le paiement sur votre téléphone");
  await expect(widget.getByTestId("success")).toBeVisible();
  await expect(widget.getByTestId("status")).toHaveText("Paiement effectué");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, Number(e.amount), e.currency, e.status])).toEqual([["MTN_MOMO_RWA", 33644, "RWF", "COMPLETED"]]);
  expect(await widget.getByTestId("receipt").evaluate(receiptRows)).toEqual(rwandaReceiptInFrench(executions[0].reference_id));
  expect(await audit(page, "dollr-checkout")).toEqual([]);
  // The page's events carry the machine-readable status; the merchant's logs are not translated.
  const success = JSON.parse((await page.locator("[data-event=success]").textContent()).slice("success ".length));
  expect(success.reference_id).toBe(executions[0].reference_id);
});

test("on a 320 px screen the French checkout, longer than the English, stays within the screen, nothing drawn crowded, and no amount is split from its currency", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const { widget } = await openShopIn(page, "fr");
  const beyond = async () => [...(await page.evaluate(pastTheScreen)), ...(await page.evaluate(crowded))];
  const lines = (testId, start) => widget.getByTestId(testId).evaluate(linesOf, start);
  expect(await beyond()).toEqual([]);
  // The slowly approved wallet, so the waiting screen can be measured; paid in francs, with a
  // rate and fees in two currencies.
  await widget.getByTestId("phone").fill("+250 78 123 4444");
  await expect(widget.getByTestId("quote-amount")).toHaveText("33\u202f644\u00a0RWF");
  expect(await beyond()).toEqual([]);
  expect(await lines("quote-amount", "33")).toBe(1);
  expect(await lines("quote-rate", "1\u202f300")).toBe(1);
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("sent-to")).toBeVisible();
  expect(await beyond()).toEqual([]);
  expect(await lines("sent-to", "+")).toBe(1);
  await expect(widget.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  expect(await beyond()).toEqual([]);
  for (const [testId, start] of [["receipt-paid", "33"], ["receipt-total", "25"], ["receipt-rate", "1\u202f300"], ["receipt-operator", "+"]]) {
    expect(await lines(testId, start), testId).toBe(1);
  }
});

test("a declined payment in French: the payer reads why in French; the page's event keeps the English sentence for its logs", async ({ page }) => {
  const { widget } = await openShopIn(page, "fr-RW");
  await widget.getByTestId("phone").fill("088 000 2222");
  await expect(widget.getByTestId("quote")).toBeVisible();
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("failure-reason")).toHaveText("Le paiement a été refusé sur le téléphone. Aucun argent n’a été débité.");
  await expect(widget.getByTestId("status")).toContainText("Paiement non effectué");
  await expect(widget.getByTestId("try-again")).toHaveText("Réessayer");
  const failure = JSON.parse((await page.locator("[data-event=failure]").textContent()).slice("failure ".length));
  expect(failure).toMatchObject({ reason: "FailureDeclined", message: "The payment was declined on the phone. No money was taken." });
});

test("a French checkout set up wrongly says so in French, and the console names the option in English", async ({ page }) => {
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  const { widget } = await openShopIn(page, "fr");
  await widget.evaluate((el) => el.setAttribute("proxy", "ftp://shop.example/api"));
  await expect(widget.getByTestId("error")).toHaveText("Ce paiement n’est pas configuré correctement. Contactez la boutique.");
  expect(await widget.getByTestId("error").evaluate(language)).toBe("fr");
  await expect.poll(() => errors.some((e) => e.includes("invalid option `proxy`"))).toBe(true);
});

test("a French checkout that stops working tells the payer to reload in French, marked French, where the page hears Crashed", async ({ page }) => {
  await page.addInitScript(refuseForms);
  await page.goto("/shop/?locale=fr");
  const widget = page.locator("dollr-checkout");
  await expect(widget.getByRole("alert")).toHaveText("Ce paiement a cessé de fonctionner. Rechargez la page\u202f: un paiement déjà effectué ne sera pas débité une seconde fois.");
  expect(await widget.getByTestId("crashed").evaluate(language)).toBe("fr");
  await expect(page.locator("[data-event=error]")).toContainText('"code":"Crashed"');
});

test("a French card payment: Stripe's field speaks French too, and the receipt names the card in French", async ({ page }) => {
  await page.goto("/?locale=fr");
  const widget = page.locator("#checkout");
  await widget.getByRole("radio", { name: "Carte" }).check();
  const number = page.getByTestId("stripe-card-number");
  await expect(number).toHaveAttribute("aria-label", "Numéro de carte");
  expect(await page.locator("[slot=dollr-card]").evaluate(language)).toBe("fr");
  await number.fill("4242 4242 4242 4242");
  await page.getByTestId("stripe-card-expiry").fill("12 / 34");
  await page.getByTestId("stripe-card-cvc").fill("123");
  await expect(widget.getByTestId("pay")).toHaveText(/^Payer \d+,\d\d\s\$US$/);
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  await expect(widget.getByTestId("receipt-operator")).toHaveText("Visa se terminant par 4242");
});

test("each demo page's Français toggle shows its checkout in French and back, saying which is on; on the static shop the number typed stays", async ({ page }) => {
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout");
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("pay")).toHaveText("Pay $25.63");
  const toggle = page.getByRole("button", { name: "Français" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(widget.getByTestId("pay")).toHaveText("Payer 25,63\u00a0$US");
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(widget.getByTestId("pay")).toHaveText("Pay $25.63");
  // The trunk demo mounts its checkout with the JS API, and mounts it again in the language chosen.
  await page.goto("/");
  const demo = page.locator("#checkout");
  await expect(demo.getByTestId("pay")).toHaveText("Pay");
  const demoToggle = page.getByRole("button", { name: "Français" });
  await demoToggle.click();
  await expect(demoToggle).toHaveAttribute("aria-pressed", "true");
  await expect(demo.getByTestId("pay")).toHaveText("Payer");
  expect(await demo.getByTestId("dollr-checkout").evaluate(language)).toBe("fr");
  await demoToggle.click();
  await expect(demo.getByTestId("pay")).toHaveText("Pay");
});

test.describe("locale=\"auto\", in a browser whose languages are Kinyarwanda then French", () => {
  test.use({ locale: "rw-RW" });
  test("the checkout takes the first of the browser's languages it has: French", async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(navigator, "languages", { get: () => ["rw-RW", "fr-RW", "en"] }));
    const warnings = [];
    page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    const { widget } = await openShopIn(page, "auto");
    expect(await widget.getByTestId("dollr-checkout").evaluate(language)).toBe("fr");
    await expect(widget.getByTestId("pay")).toHaveText("Payer");
    expect(warnings.filter((w) => w.includes("dollr-checkout"))).toEqual([]);
  });
});

test.describe("locale=\"auto\", in a browser in German", () => {
  test.use({ locale: "de-DE" });
  test("the checkout is in English, the language every checkout has, with nothing to warn of", async ({ page }) => {
    const warnings = [];
    page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    const { widget } = await openShopIn(page, "auto");
    expect(await page.evaluate(() => navigator.languages)).toEqual(["de-DE"]);
    expect(await widget.getByTestId("dollr-checkout").evaluate(language)).toBe("en");
    await expect(widget.getByTestId("pay")).toHaveText("Pay");
    expect(warnings.filter((w) => w.includes("dollr-checkout"))).toEqual([]);
  });
});
