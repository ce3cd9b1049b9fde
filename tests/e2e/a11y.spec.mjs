// Accessibility audit with axe-core (WCAG 2.1 A and AA rules: names, roles, labels, contrast) of
// every screen a mobile-money payer meets, a card payer's form, errors and outcomes, and the error
// screens, inside the widget's shadow root: on the demo page (the default palettes) and on the
// plain static shop (its brand colour over them), each in the light theme, the dark theme, and
// `theme="auto"` under a dark system setting. Then what no audit sees: the widget under forced
// colours, and at the text size the payer chose in their browser.
import { test, expect } from "@playwright/test";
import { SANDBOX, armFault, audit, demoOrder, disarmFaults, typeCard } from "./helpers.mjs";
import { crowded, linesOf, pastTheScreen } from "./layout.mjs";
import { REBUILT_PAGE_LAUNCH_OPTIONS, editShopHtml } from "./static-shop.mjs";

// The static shop's card audit rebuilds its page through DevTools (its policy allowing Stripe.js),
// which then loads from another loopback origin (see REBUILT_PAGE_LAUNCH_OPTIONS).
test.use({ launchOptions: REBUILT_PAGE_LAUNCH_OPTIONS });

const PAGES = [
  { name: "demo page, default palettes", url: "/", host: "#checkout" },
  { name: "static shop, brand colour", url: "/shop/", host: "dollr-checkout", strict: true },
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

    if (where.strict) {
      test("the error screens pass an axe audit: the order lost to the network, a link that isn't valid, a checkout set up wrongly", async ({ page, request }) => {
        const widget = await open(page, where, theme);
        // The checkout rebuilt for another order, whose answer the network loses: "Try again".
        await page.route("**/api/dollr/v1/checkout", (route) => route.abort("internetdisconnected"));
        const { grant } = await demoOrder(request);
        await widget.evaluate((el, value) => el.setAttribute("grant", value), grant);
        await expect(widget.getByTestId("error")).toContainText("Check your connection");
        await expect(widget.getByTestId("retry")).toBeVisible();
        expect(await audit(page, where.host)).toEqual([]);
        await page.unroute("**/api/dollr/v1/checkout");
        // A grant signed with another secret: the proxy refuses it.
        const forged = `${grant.slice(0, grant.lastIndexOf(".") + 1)}${"A".repeat(43)}`;
        await widget.evaluate((el, value) => el.setAttribute("grant", value), forged);
        await expect(widget.getByTestId("error")).toContainText("This checkout link isn't valid");
        expect(await audit(page, where.host)).toEqual([]);
        await widget.evaluate((el) => el.setAttribute("proxy", "ftp://shop.example/api"));
        await expect(widget.getByTestId("error")).toContainText("not set up correctly");
        expect(await audit(page, where.host)).toEqual([]);
      });

      test("card payments that couldn't load (the shop's policy names no Stripe host) pass an axe audit", async ({ page }) => {
        const widget = await open(page, where, theme);
        await widget.getByTestId("kind-card").check();
        await expect(widget.getByTestId("card-load-failed")).toBeVisible({ timeout: 20_000 });
        expect(await audit(page, where.host)).toEqual([]);
      });
    }

    test("the card form, its errors, a declined card, the confirming screen and a card's receipt pass an axe audit", async ({ page, request }) => {
      // A shop taking cards allows Stripe.js (here the sandbox's) in its policy.
      if (where.strict) await editShopHtml(page, (html) => html.replace("script-src 'self'", `script-src 'self' ${SANDBOX}`));
      const widget = await open(page, where, theme);
      await widget.getByTestId("kind-card").check();
      await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
      await expect(widget.getByTestId("quote-amount")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      // Pay with the card fields empty: the error that asks for them.
      await widget.getByTestId("pay").click();
      await expect(widget.getByTestId("card-error")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      // A declined card: the failure screen in a card's words.
      await typeCard(widget, "4000 0000 0000 0002");
      await widget.getByTestId("pay").click();
      await expect(widget.getByTestId("failure")).toBeVisible();
      expect(await audit(page, where.host)).toEqual([]);
      // Back on the form with card chosen, then a card that pays, Dollr slow to confirm it: the
      // confirming screen, then the receipt naming the card.
      await widget.getByTestId("try-again").click();
      await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
      await typeCard(widget, "4242 4242 4242 4242");
      await armFault(request, { route: "status/collection", kind: "delay", ms: 2000, count: 4 });
      try {
        await widget.getByTestId("pay").click();
        await expect(widget.getByTestId("waiting").getByRole("heading")).toHaveText("Confirming your card payment");
        expect(await audit(page, where.host)).toEqual([]);
        await expect(widget.getByTestId("success")).toBeVisible({ timeout: 20_000 });
        expect(await audit(page, where.host)).toEqual([]);
      } finally {
        await disarmFaults(request);
      }
    });
  });
}

test("under forced colours (Windows High Contrast) the outline, Pay's edge and the spinner's arc still show", async ({ page }) => {
  await page.emulateMedia({ forcedColors: "active" });
  // The wasm held on a slow network: the loader's outline of the form shows first.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/\/cdn\/dollr-checkout_bg\.[0-9a-f]{12}\.wasm(\?|$)/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout");
  const look = (el) => {
    const s = getComputedStyle(el);
    return { style: s.borderTopStyle, width: s.borderTopWidth, edge: s.borderTopColor, side: s.borderRightColor, fill: s.backgroundColor };
  };
  const bar = widget.locator(".dollr-skeleton span").first();
  await expect(bar).toBeVisible();
  expect((await bar.evaluate(look)).fill).not.toBe(await page.locator("body").evaluate((el) => getComputedStyle(el).backgroundColor));
  release();
  const pay = widget.getByTestId("pay");
  await widget.getByTestId("phone").fill("088 000 5555");
  await expect(pay).toBeEnabled();
  const button = await pay.evaluate(look);
  // The system draws buttons without a fill: only a border shows where Pay is.
  expect(button.style).toBe("solid");
  expect(button.width).not.toBe("0px");
  expect(button.edge).not.toBe(button.fill);
  // The wallet that never answers keeps the waiting screen up: its spinner's arc is its own colour.
  await pay.click();
  const spinner = await widget.locator(".dollr-spinner").evaluate(look);
  expect(spinner.edge).not.toBe(spinner.side);
});

test("the payer's own text size, set in their browser, is the widget's whatever the page's root size, and the card field's", async ({ page }) => {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send("Page.setFontSizes", { fontSizes: { standard: 24, fixed: 20 } });
  await page.goto("/");
  const size = (el) => getComputedStyle(el).fontSize;
  expect(await page.locator("body").evaluate(size)).toBe("24px");
  // A shop that sizes its own text from a 10 px root.
  await page.evaluate(() => (document.documentElement.style.fontSize = "10px"));
  expect(await page.locator("body").evaluate(size)).toBe("10px");
  const widget = page.locator("#checkout");
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  for (const id of ["payment-form", "phone", "pay"]) expect(await widget.getByTestId(id).evaluate(size), id).toBe("24px");
  await widget.getByTestId("kind-card").check();
  await expect.poll(() => page.getByTestId("stripe-card-number").evaluate(size)).toBe("24px");
});

/** The lines the text in `locator` is drawn on from `start` to the end of the text node holding it. */
function linesFrom(locator, start) {
  return locator.evaluate(linesOf, start);
}

test("on a small phone with a large text size every digit of the number shows; the country code gives way to it", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const devtools = await page.context().newCDPSession(page);
  const hidden = (el) => el.scrollWidth > el.clientWidth;
  for (const size of [16, 24, 32]) {
    await devtools.send("Page.setFontSizes", { fontSizes: { standard: size, fixed: 13 } });
    await page.goto("/shop/");
    const widget = page.locator("dollr-checkout").first();
    const phone = widget.getByTestId("phone");
    await phone.fill("088 000 5555");
    expect(await phone.evaluate((el) => getComputedStyle(el).fontSize)).toBe(`${size}px`);
    expect(await phone.evaluate(hidden), `${size}px`).toBe(false);
    // At the usual size the code stands beside the number; the country list always names it.
    await expect(widget.locator(".dollr-prefix")).toBeVisible({ visible: size === 16 });
    expect(await widget.getByTestId("country").evaluate((el) => el.selectedOptions[0].textContent)).toContain("+231");
    // The example under the field keeps its number whole, with its "e.g.".
    expect(await linesFrom(widget.locator("[id$=-phone-hint]"), "e.g."), `${size}px`).toBe(1);
  }
});

test("on a 320 px screen (WCAG's reflow width) nothing of the checkout reaches past the screen or is drawn crowded, and no number is split from what it belongs to", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout").first();
  // Every element of the page and of the checkout's shadow root within the screen's width, and
  // nothing in the checkout drawn closer than its stylesheet spaces it.
  const beyond = async () => [...(await page.evaluate(pastTheScreen)), ...(await page.evaluate(crowded))];
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  expect(await beyond()).toEqual([]);
  // The order's number is not split at its hyphen.
  const heading = widget.getByTestId("order-summary").getByRole("heading");
  const order = (await heading.textContent()).split("·")[1].trim();
  expect(await linesFrom(heading, order)).toBe(1);
  // Paying in Liberian dollars: the widest receipt (its exchange rate and fee).
  await widget.getByTestId("phone").fill("088 123 1111");
  await widget.getByTestId("currency-LRD").check();
  await expect(widget.getByTestId("quote-amount")).toContainText("4,917.20");
  expect(await beyond()).toEqual([]);
  expect(await linesFrom(widget.getByTestId("quote-rate"), "190")).toBe(1);
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("sent-to")).toBeVisible();
  expect(await beyond()).toEqual([]);
  expect(await linesFrom(widget.getByTestId("sent-to"), "+")).toBe(1);
  await expect(widget.getByTestId("success")).toBeVisible();
  expect(await beyond()).toEqual([]);
  await expect(widget.getByTestId("receipt-operator")).toHaveText("MTN · +231 88 123 1111");
  expect(await linesFrom(widget.getByTestId("receipt-operator"), "+")).toBe(1);
  expect(await linesFrom(widget.getByTestId("receipt-rate"), "190")).toBe(1);
});

test("each demo page shows both palettes: its toggle switches the checkout to dark and back, and says which is on", async ({ page }) => {
  const look = (box) => box.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el.querySelector("[data-testid=pay]")).backgroundColor]);
  for (const where of PAGES) {
    await page.goto(where.url);
    const box = page.locator(where.host).first().getByTestId("dollr-checkout");
    await expect(box).toBeVisible();
    const light = await look(box);
    expect(light[0], where.name).toBe("rgb(255, 255, 255)");
    const toggle = page.locator("#theme");
    await toggle.click();
    await expect.poll(() => look(box).then((c) => c[0]), where.name).toBe("rgb(21, 25, 30)");
    expect((await look(box))[1], where.name).not.toBe(light[1]);
    await toggle.click();
    await expect.poll(() => look(box), where.name).toEqual(light);
  }
  // The demo's toggle keeps its name and says whether the dark palette is on.
  await page.goto("/");
  const toggle = page.getByRole("button", { name: "Dark theme" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
});
