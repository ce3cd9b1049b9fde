// Accessibility audit with axe-core (WCAG 2.1 A and AA rules: names, roles, labels, contrast) of
// every screen a mobile-money payer meets, inside the widget's shadow root: on the demo page (the
// default palettes) and on the plain static shop (its brand colour over them), each in the light
// theme, the dark theme, and `theme="auto"` under a dark system setting.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

const PAGES = [
  { name: "demo page, default palettes", url: "/", host: "#checkout" },
  { name: "static shop, brand colour", url: "/shop/", host: "dollr-checkout" },
];

const THEMES = [
  { name: "light", set: async () => {} },
  { name: "dark", set: async (page, host) => setTheme(page, host, "dark") },
  {
    name: "auto under a dark system setting",
    set: async (page, host) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await setTheme(page, host, "auto");
    },
  },
];

async function setTheme(page, host, theme) {
  await page.locator(host).evaluate((el, value) => el.setAttribute("theme", value), theme);
  await expect(page.locator(host).getByTestId("payment-form")).toBeVisible();
}

/** Opens `where` in `theme` and waits for the payment form; returns the widget's host. */
async function open(page, where, theme) {
  await page.goto(where.url);
  const widget = page.locator(where.host);
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  await theme.set(page, where.host);
  return widget;
}

/** The axe violations inside the widget, as "rule: target" lines a reader can act on. */
async function audit(page, host) {
  const { violations } = await new AxeBuilder({ page })
    .include(host)
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`));
}

for (const where of PAGES) for (const theme of THEMES) {
  test.describe(`${where.name}, theme ${theme.name}`, () => {
    test("the form, its errors and the quote pass an axe audit", async ({ page }) => {
      const widget = await open(page, where, theme);
      expect(await audit(page, where.host)).toEqual([]);
      // An invalid number, shown once the payer leaves the field.
      await widget.getByTestId("phone").fill("077");
      await widget.getByTestId("phone").blur();
      await expect(widget.getByTestId("phone-error")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      await widget.getByTestId("phone").fill("088 123 1111");
      await expect(widget.getByTestId("quote-amount")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
    });

    test("waiting, success and failure pass an axe audit", async ({ page }) => {
      const widget = await open(page, where, theme);
      // Declined by the payer: the failure screen.
      await widget.getByTestId("phone").fill("088 123 2222");
      await widget.getByTestId("pay").click();
      await expect(widget.getByTestId("failure")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      // Try again with a slow wallet (approved after the sandbox's long delay): waiting, then paid.
      await widget.getByTestId("try-again").click();
      await widget.getByTestId("phone").fill("088 123 4444");
      await expect(widget.getByTestId("quote-amount")).toBeVisible();
      await widget.getByTestId("pay").click();
      await expect(widget.getByTestId("waiting")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      await expect(widget.getByTestId("success")).toBeVisible({ timeout: 20_000 });
      expect(await audit(page, where.host)).toEqual([]);
    });
  });
}
