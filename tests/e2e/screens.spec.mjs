// Screenshots of every screen at 360 px and 1280 px, for docs/screens/. Runs only with
// UPDATE_SCREENS=1 (make screens), so the test tier never rewrites tracked files.
import { test, expect } from "@playwright/test";
import { enterPhone, openShop, typeCard } from "./helpers.mjs";

const update = !!process.env.UPDATE_SCREENS;
const OUT = "../../docs/screens";

for (const width of [360, 1280]) {
  test.describe(`screens at ${width}px`, () => {
    test.skip(!update, "set UPDATE_SCREENS=1 to refresh docs/screens");
    test.use({ viewport: { width, height: 900 } });
    const shot = (page, name) => page.locator("#checkout").screenshot({ path: `${OUT}/${name}-${width}.png` });

    test("form, quote, errors", async ({ page }) => {
      await openShop(page);
      await shot(page, "01-order-and-form");
      await page.getByTestId("phone").fill("088 12x");
      await expect(page.getByTestId("phone-error")).toBeVisible();
      await shot(page, "02-invalid-number");
      await page.getByTestId("phone").fill("099 123 1111");
      await expect(page.getByTestId("operator-message")).toBeVisible();
      await shot(page, "03-unknown-operator");
      await page.getByTestId("phone").fill("088 123 1111");
      await page.getByTestId("currency-LRD").check();
      await expect(page.getByTestId("quote-rate")).toBeVisible();
      await shot(page, "04-quote-in-lrd");
    });

    test("waiting and success", async ({ page }) => {
      await openShop(page);
      await enterPhone(page, "088 000 4444");
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("elapsed")).toHaveText(/^0:0[2-9]$/, { timeout: 8000 }); // a second shows for one second only
      await shot(page, "05-waiting");
      await expect(page.getByTestId("receipt-total")).toBeVisible({ timeout: 20_000 });
      await shot(page, "06-success-receipt");
    });

    test("card and 3-D Secure", async ({ page }) => {
      await openShop(page);
      await page.getByTestId("kind-card").check();
      await typeCard(page, "4000 0027 6000 3184");
      await expect(page.getByTestId("quote-amount")).toBeVisible();
      await shot(page, "08-card");
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("stripe-challenge")).toBeVisible();
      await page.screenshot({ path: `${OUT}/09-three-d-secure-${width}.png` });
      await page.getByTestId("stripe-challenge-approve").click();
      await expect(page.getByTestId("success")).toBeVisible();
    });

    test("static shop, light and dark themes", async ({ page }) => {
      await page.goto("/shop/");
      const widget = page.locator("dollr-checkout").first();
      await expect(widget.getByTestId("payment-form")).toBeVisible();
      await widget.screenshot({ path: `${OUT}/10-theme-light-${width}.png` });
      await page.getByRole("button", { name: "Dark theme" }).click();
      await expect(widget.getByTestId("payment-form")).toBeVisible();
      await widget.screenshot({ path: `${OUT}/11-theme-dark-${width}.png` });
    });

    test("failure", async ({ page }) => {
      await openShop(page);
      await enterPhone(page, "088 000 2222");
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("failure")).toBeVisible();
      await shot(page, "07-failure");
    });
  });
}
