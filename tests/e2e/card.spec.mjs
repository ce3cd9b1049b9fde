// Card payments through Stripe Elements (the sandbox's Stripe.js stand-in) and 3-D Secure, in
// the built widget against the real proxy and sandbox; the ledger judges the charges.
import { test, expect } from "@playwright/test";
import { armFault, disarmFaults, enterPhone, executionsFor, holdStripeJs, openShop, typeCard } from "./helpers.mjs";
import { HOSTILE_CSS, adoptStylesheet, cardFieldBox } from "./static-shop.mjs";

// A test that fails half-way leaves no delay armed for the next one.
test.afterEach(async ({ request }) => disarmFaults(request));

/** Holds the page's first request for Stripe.js until `end()` is called, then ends it with
 *  `ending(route)`; later requests go through. The URLs asked for, as they come. */
async function endFirstStripeJsLate(page, ending) {
  let end;
  const ended = new Promise((resolve) => (end = resolve));
  const asked = [];
  await page.route("**/__sandbox/stripe.js", async (route) => {
    asked.push(route.request().url());
    if (asked.length > 1) return route.continue();
    await ended;
    return ending(route);
  });
  return { asked, end };
}

async function fillCard(page, number) {
  await page.getByTestId("kind-card").check();
  await typeCard(page, number);
  await expect(page.getByTestId("quote-amount")).toHaveText("$26.11");
  await expect(page.getByTestId("pay")).toBeEnabled();
}

test("mobile-money payers never download Stripe.js", async ({ page }) => {
  const scripts = [];
  page.on("request", (r) => r.url().includes("stripe") && scripts.push(r.url()));
  await openShop(page);
  await enterPhone(page, "088 123 1111");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect(scripts).toEqual([]);
});

for (const theme of ["light", "dark"]) {
  test(`the card field, drawn where the widget's stylesheet cannot reach, takes its ${theme} theme's text and a focus ring`, async ({ page }) => {
    await openShop(page);
    await page.locator("#checkout").evaluate((el, value) => el.setAttribute("theme", value), theme);
    await page.getByTestId("kind-card").check();
    const number = page.getByTestId("stripe-card-number");
    await expect(number).toBeVisible();
    const style = (el) => {
      const s = getComputedStyle(el);
      return { color: s.color, fontFamily: s.fontFamily, fontSize: s.fontSize };
    };
    const widget = await page.getByTestId("card-host").evaluate(style);
    expect(await number.evaluate(style)).toEqual(widget);
    // The theme's own text colour: a dark page's is light, and the reverse.
    const [r, g, b] = widget.color.match(/\d+/g).map(Number);
    expect((r + g + b) / 3 > 128).toBe(theme === "dark");
    // A keyboard payer sees where they are: the field Stripe marks focused has the ring.
    await number.focus();
    const mounted = page.locator("[slot=dollr-card]");
    await expect(mounted).toHaveClass(/StripeElement--focus/);
    expect(await mounted.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
  });
}

test("a page stylesheet that resets everything leaves the card field its padding and focus ring, and the card pays", async ({ page, request }) => {
  const number = await openShop(page);
  // The page's own rules, as a CSS reset (`* { padding: 0 }`) or a careless theme brings them.
  await page.evaluate(adoptStylesheet, HOSTILE_CSS);
  expect(await page.locator("#new-order").evaluate((el) => getComputedStyle(el).display)).toBe("none");
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  // The field's box: drawn as a block, its text set in from the border by the widget's padding;
  // focused, it has the ring.
  const mounted = page.locator("[slot=dollr-card]");
  expect(await mounted.evaluate(cardFieldBox)).toEqual({ display: "block", padding: [0.7, 0.6], outline: "none" });
  await page.getByTestId("stripe-card-number").focus();
  await expect(mounted).toHaveClass(/StripeElement--focus/);
  expect((await mounted.evaluate(cardFieldBox)).outline).toBe("solid");
  await typeCard(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("quote-amount")).toHaveText("$26.11");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("the card field shows a mistyped number in the theme's error colour, and takes the page's tokens set on its :root", async ({ page }) => {
  await openShop(page);
  await page.getByTestId("kind-card").check();
  const number = page.getByTestId("stripe-card-number");
  const colour = (el) => getComputedStyle(el).color;
  await number.fill("4242 4242 4242 4241"); // fails the Luhn check
  await expect(page.locator("[slot=dollr-card]")).toHaveClass(/StripeElement--invalid/);
  expect(await number.evaluate(colour)).toBe("rgb(180, 35, 24)"); // the light palette's danger
  // The page's own tokens, on its :root: the field is restyled with them.
  await page.evaluate(() => {
    document.documentElement.style.setProperty("--dollr-color-text", "rgb(10, 20, 30)");
    document.documentElement.style.setProperty("--dollr-color-danger", "rgb(150, 0, 60)");
  });
  await expect.poll(() => number.evaluate(colour)).toBe("rgb(150, 0, 60)");
  await number.fill("4242 4242 4242 4242");
  await expect(page.locator("[slot=dollr-card]")).not.toHaveClass(/StripeElement--invalid/);
  expect(await number.evaluate(colour)).toBe("rgb(10, 20, 30)");
});

test("the theme changing while the card field shows restyles the field with it", async ({ page }) => {
  // Counts the page's "transitionend" listeners, to see the widget's go with the field.
  await page.addInitScript(() => {
    window.__recolourListeners = 0;
    const count = (name, step) => {
      const original = EventTarget.prototype[name];
      EventTarget.prototype[name] = function (kind, ...rest) {
        if (kind === "transitionend") window.__recolourListeners += step;
        return original.call(this, kind, ...rest);
      };
    };
    count("addEventListener", 1);
    count("removeEventListener", -1);
  });
  await page.emulateMedia({ colorScheme: "light" });
  await openShop(page);
  const checkout = page.locator("#checkout");
  await checkout.evaluate((el) => el.setAttribute("theme", "auto"));
  await page.getByTestId("kind-card").check();
  const number = page.getByTestId("stripe-card-number");
  await expect(number).toBeVisible();
  const colour = (el) => getComputedStyle(el).color;
  const host = page.getByTestId("card-host");
  const light = await host.evaluate(colour);
  expect(await number.evaluate(colour)).toBe(light);
  // The system goes dark: the auto theme follows, and the field with it.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => host.evaluate(colour)).not.toBe(light);
  const dark = await host.evaluate(colour);
  await expect.poll(() => number.evaluate(colour)).toBe(dark);
  // The shop sets the light theme itself: the field follows again.
  await checkout.evaluate((el) => el.setAttribute("theme", "light"));
  await expect.poll(() => number.evaluate(colour)).toBe(light);
  expect(await page.evaluate(() => window.__recolourListeners)).toBe(1);
  // Back to mobile money: the card field goes, and its listener with it.
  await page.getByTestId("kind-mobile-money").check();
  await expect(number).toHaveCount(0);
  expect(await page.evaluate(() => window.__recolourListeners)).toBe(0);
  // Card again, with Stripe.js already here: the new field is styled from the checkout as drawn.
  await page.getByTestId("kind-card").check();
  await expect(number).toBeVisible();
  expect(await number.evaluate(colour)).toBe(light);
  expect(await page.evaluate(() => window.__recolourListeners)).toBe(1);
});

test.describe("a payer whose browser speaks French, on a French page", () => {
  test.use({ locale: "fr-FR" });
  test("the card field speaks the checkout's language, and both are marked English for screen readers", async ({ page }) => {
    await openShop(page);
    expect(await page.evaluate(() => navigator.language)).toBe("fr-FR");
    await page.evaluate(() => (document.documentElement.lang = "fr"));
    await page.getByTestId("kind-card").check();
    const number = page.getByTestId("stripe-card-number");
    await expect(number).toHaveAttribute("aria-label", "Card number");
    await expect(page.getByTestId("stripe-card-expiry")).toHaveAttribute("placeholder", "MM / YY");
    const language = (el) => el.closest("[lang]")?.lang;
    expect(await page.getByTestId("dollr-checkout").evaluate(language)).toBe("en");
    // Stripe's iframe takes its language from `locale`; the element it is mounted in is marked.
    expect(await page.locator("[slot=dollr-card]").evaluate(language)).toBe("en");
  });
});

test("on a right-to-left page the English checkout still reads left to right, its card field too", async ({ page }) => {
  await openShop(page);
  await page.evaluate(() => {
    document.documentElement.lang = "ar";
    document.documentElement.dir = "rtl";
  });
  const direction = (el) => getComputedStyle(el).direction;
  expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe("rtl");
  // The country code stands before the number, on its left, as the payer reads a number.
  const prefix = await page.locator(".dollr-prefix").boundingBox();
  const field = await page.getByTestId("phone").boundingBox();
  expect(prefix.x + prefix.width).toBeLessThanOrEqual(field.x + 1);
  // A label's text starts at the left edge of its box, as on a left-to-right page.
  const [text, box] = await page.locator(".dollr-field label[for]").first().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [range.getBoundingClientRect().left, el.getBoundingClientRect().left];
  });
  expect(text).toBeLessThan(box + 1);
  // Stripe's fields live in the page's light DOM, outside the widget's shadow root.
  await page.getByTestId("kind-card").check();
  const number = page.getByTestId("stripe-card-number");
  await expect(number).toBeVisible();
  expect(await number.evaluate(direction)).toBe("ltr");
});

test("card success without 3-D Secure", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("receipt-paid")).toHaveText("$26.11");
  await expect(page.getByTestId("receipt-operator")).toHaveText("Visa ending in 4242");
  // The gateway that took its fee is the card's, not a mobile network.
  await expect(page.getByTestId("receipt")).toContainText("Card processing fee$0.73");
  await expect(page.getByTestId("receipt")).not.toContainText("Network");
  const { executions, source } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
  expect(source.status).toBe("PAID");
});

test("the payer coming back while Stripe reads the card still sees one card field, and pays once", async ({ page, request }) => {
  // The most card fields the page ever held at once.
  await page.addInitScript(() => {
    window.__mostCardFields = 0;
    new MutationObserver(() => {
      const now = document.querySelectorAll("[data-testid=stripe-card]").length;
      window.__mostCardFields = Math.max(window.__mostCardFields, now);
    }).observe(document, { childList: true, subtree: true });
  });
  const number = await openShop(page);
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByTestId("pay").click();
  // Back online while Stripe turns the card into a payment method (150 ms in the stand-in).
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("success")).toBeVisible();
  expect(await page.evaluate(() => window.__mostCardFields)).toBe(1);
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
});

test("a card payment still being confirmed says so and names the card, across a reload", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "5555 5555 5555 4444");
  // Dollr slow to answer about the payment: the payer waits on the confirming screen.
  await armFault(request, { route: "status/collection", kind: "delay", ms: 2000, count: 4 });
  await page.getByTestId("pay").click();
  const waiting = page.getByTestId("waiting");
  await expect(waiting.getByRole("heading")).toHaveText("Confirming your card payment");
  await expect(page.getByTestId("status")).toHaveText("Confirming your card payment");
  await expect(waiting).toContainText("Your card payment is being confirmed.");
  await expect(waiting).not.toContainText(/phone|mobile money|approve/i);
  await expect(page.getByTestId("remaining")).toHaveCount(0);
  await expect(page.getByTestId("sent-to")).toHaveCount(0);
  // Which card, for a payer who has several; a reload still knows it.
  await expect(page.getByTestId("paying-with")).toHaveText("Mastercard ending in 4444");
  await page.reload();
  await expect(page.getByTestId("paying-with")).toHaveText("Mastercard ending in 4444");
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("receipt-operator")).toHaveText("Mastercard ending in 4444");
  await disarmFaults(request);
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
});

test("a card payment unconfirmed past the time limit: still being confirmed, don't pay again", async ({ page, request }) => {
  await page.clock.install();
  await openShop(page);
  await fillCard(page, "4242 4242 4242 4242");
  await armFault(request, { route: "status/collection", kind: "delay", ms: 8000, count: 10 });
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("paying-with")).toHaveText("Visa ending in 4242");
  await expect(page.getByTestId("overdue")).toHaveCount(0);
  // The payer leaves the page open past the 15 minutes.
  await page.clock.fastForward("16:00");
  const overdue = page.getByTestId("overdue");
  await expect(overdue).toHaveText(/^Your card payment is still being confirmed\..*Don't pay again\.$/);
  await expect(page.getByTestId("status")).toHaveText(await overdue.textContent());
  await expect(page.getByTestId("waiting")).not.toContainText(/phone|approve/i);
  await disarmFaults(request);
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
});

test("3-D Secure approved", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4000 0027 6000 3184");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("stripe-challenge")).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("Confirm the payment with your bank…");
  await page.getByTestId("stripe-challenge-approve").click();
  await expect(page.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
});

for (const card of ["4000 0000 0000 3220", "4000 0025 0000 3155"]) {
  test(`Stripe's 3-D Secure test number ${card} asks for the challenge too, and pays once approved`, async ({ page, request }) => {
    const number = await openShop(page);
    await fillCard(page, card);
    await page.getByTestId("pay").click();
    await page.getByTestId("stripe-challenge-approve").click();
    await expect(page.getByTestId("success")).toBeVisible();
    const { executions } = await executionsFor(request, number);
    expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
  });
}

test("3-D Secure refused: failed, nothing charged", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4000 0027 6000 3184");
  await page.getByTestId("pay").click();
  await page.getByTestId("stripe-challenge-refuse").click();
  await expect(page.getByTestId("failure-reason")).toHaveText("The card could not be verified. No money was taken.");
  const { executions, source } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["FAILED"]);
  expect(source.paid).toBe("0");
});

test("a declined card: a plain reason, nothing charged", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4000 0000 0000 0002");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("failure-reason")).toContainText("Your card was declined");
  const { executions, source } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["FAILED"]);
  expect(source.paid).toBe("0");
  // "Try again": the form is back on card, with the payer on their choice (the checked radio),
  // not on the mobile-money one they did not pick.
  await page.getByTestId("try-again").click();
  await expect(page.getByTestId("kind-card")).toBeChecked();
  await expect(page.getByTestId("kind-card")).toBeFocused();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
});

test("a card without the funds: the reason speaks of the card, not a wallet, and the page hears the usual reason", async ({ page, request }) => {
  const number = await openShop(page);
  await page.evaluate(() => {
    window.failures = [];
    document.addEventListener("dollr:failure", (e) => window.failures.push(e.detail));
  });
  await fillCard(page, "4000 0000 0000 9995");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("failure-reason")).toHaveText(
    "Your card doesn't have enough funds. No money was taken. Try another card or pay with mobile money.",
  );
  const { executions, source } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["FAILED"]);
  expect(source.paid).toBe("0");
  expect(await page.evaluate(() => window.failures)).toEqual([
    { reference_id: executions[0].reference_id, reason: "FailureInsufficientFunds", message: expect.stringContaining("enough funds") },
  ]);
});

test("an unknown card number is refused by Stripe before anything is sent", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4111 1111 1111 1111");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("card-error")).toHaveText("That card number isn't right. Check it and try again.");
  await expect(page.getByTestId("pay")).toBeEnabled();
  expect((await executionsFor(request, number)).executions).toHaveLength(0);
});

test("a card field left part-filled says which part, as Stripe reports it, and Pay leads back to it", async ({ page }) => {
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await page.getByTestId("stripe-card-number").fill("4242 4242 4242 4242");
  await page.getByTestId("stripe-card-expiry").fill("12 / 34");
  const cvc = page.getByTestId("stripe-card-cvc");
  await cvc.fill("12");
  // Nothing is said while the payer is still typing.
  await expect(page.getByTestId("card-error")).toHaveCount(0);
  await cvc.press("Tab");
  await expect(page.getByTestId("card-error")).toHaveText(
    "Check the card's security code: 3 digits on the back, or 4 on the front of an American Express card.",
  );
  // Pay now keeps Stripe's sentence and puts the payer back in the card field.
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("card-error")).toHaveText(/^Check the card's security code/);
  await expect(page.getByTestId("stripe-card-number")).toBeFocused();
  await cvc.fill("123");
  await expect(page.getByTestId("card-error")).toHaveCount(0);
  await expect(page.getByTestId("pay")).toBeEnabled();
  // A number left short names the number.
  await page.getByTestId("stripe-card-number").fill("4242 4242");
  await page.getByTestId("stripe-card-number").blur();
  await expect(page.getByTestId("card-error")).toHaveText("That card number isn't right. Check it and try again.");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("stripe-card-number")).toBeFocused();
  await expect(page.getByTestId("card-error")).toHaveText("That card number isn't right. Check it and try again.");
});

test("keyboard only: the arrow keys choose card, Tab goes through the card's number, expiry and code to Pay, and Enter pays once", async ({ page, request }) => {
  const number = await openShop(page);
  await page.getByTestId("kind-mobile-money").focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("kind-card")).toBeChecked();
  await expect(page.getByTestId("kind-card")).toBeFocused();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  // The card fields, drawn in the page's DOM and shown through the widget's slot, come next.
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("stripe-card-number")).toBeFocused();
  await page.keyboard.type("4242 4242 4242 4242");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("stripe-card-expiry")).toBeFocused();
  await page.keyboard.type("12 / 34");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("stripe-card-cvc")).toBeFocused();
  await page.keyboard.type("123");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("pay")).toBeFocused();
  await expect(page.getByTestId("pay")).toHaveText("Pay $26.11");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
});

test("Pay with the card fields empty asks for them and puts the payer in the card number", async ({ page, request }) => {
  const number = await openShop(page);
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  await expect(page.getByTestId("quote-amount")).toHaveText("$26.11");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("card-error")).toHaveText("Enter the card's number, expiry date and security code.");
  await expect(page.getByTestId("card-error")).toHaveAttribute("role", "alert");
  await expect(page.getByTestId("stripe-card-number")).toBeFocused();
  // Typing answers it.
  await page.keyboard.type("4242 4242 4242 4242");
  await expect(page.getByTestId("card-error")).toHaveCount(0);
  await page.getByTestId("stripe-card-expiry").fill("12 / 34");
  await page.getByTestId("stripe-card-cvc").fill("123");
  expect((await executionsFor(request, number)).executions).toHaveLength(0);
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("Card payments that couldn't load: Pay leads to their Try again", async ({ page }) => {
  await openShop(page);
  await page.route("**/__sandbox/stripe.js", (route) => route.abort("blockedbyclient"));
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("card-load-failed")).toBeVisible();
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("card-retry")).toBeFocused();
});

test("Stripe.js failing to load: a clear message, a retry, and mobile money still works", async ({ page, request }) => {
  const number = await openShop(page);
  await page.route("**/__sandbox/stripe.js", (route) => route.abort("blockedbyclient"));
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  await page.getByTestId("card-retry").click();
  await expect(page.getByTestId("card-load-failed")).toBeVisible();
  await page.unroute("**/__sandbox/stripe.js");
  await page.getByTestId("card-retry").click();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  await page.getByTestId("kind-mobile-money").check();
  await enterPhone(page, "088 123 1111");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions.map((e) => e.method)).toEqual(["MTN_MOMO_LBR"]);
});

test("Stripe.js not arrived in 15 s: the payer is told, and when it arrives later the card form comes by itself", async ({ page }) => {
  await page.clock.install();
  const stripeJs = await holdStripeJs(page);
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("card-loading")).toBeVisible();
  await page.clock.runFor(14_000);
  await expect(page.getByTestId("card-loading")).toBeVisible();
  await page.clock.runFor(1_000);
  await expect(page.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  // The request arrives late, after the checkout gave up on it; the payer presses nothing.
  stripeJs.release();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  await expect(page.getByTestId("card-load-failed")).toHaveCount(0);
});

test("Stripe.js slower than 15 s: \"Try again\" waits for the download already on its way, which is asked for and run once", async ({ page }) => {
  // A slow network: the payer is told after 15 s, but the download goes on, and a second one
  // would only share the same slow connection.
  await page.clock.install();
  const stripeJs = await holdStripeJs(page);
  let requests = 0;
  page.on("request", (r) => { if (r.url().endsWith("/__sandbox/stripe.js")) requests += 1; });
  // Each run of the script defines Stripe anew.
  await page.addInitScript(() => {
    let runs = 0;
    Object.defineProperty(window, "Stripe", { configurable: true, get: () => window.__stripe, set: (v) => { runs += 1; window.__stripe = v; } });
    window.stripeRuns = () => runs;
  });
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await page.clock.runFor(15_000);
  await expect(page.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  await page.getByTestId("card-retry").click();
  await expect(page.getByTestId("card-loading")).toBeVisible();
  await page.waitForTimeout(500); // a second request would be in by now
  expect(requests).toBe(1);
  stripeJs.release();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  expect(requests).toBe(1);
  expect(await page.evaluate(() => window.stripeRuns())).toBe(1);
});

test("Stripe.js failing after the checkout gave up waiting: \"Try again\" asks for it afresh, and the card form comes", async ({ page }) => {
  await page.clock.install();
  // The slow download then breaks off.
  const { asked, end: drop } = await endFirstStripeJsLate(page, (route) => route.abort("connectionreset"));
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await page.clock.runFor(15_000);
  await expect(page.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  drop();
  await expect.poll(() => page.locator("script[data-dollr-stripe-done]").count()).toBe(1);
  await page.getByTestId("card-retry").click();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  expect(asked).toHaveLength(2);
});

test("a network's sign-in page served late in Stripe.js's place: \"Try again\" asks for Stripe.js afresh, and the card form comes", async ({ page }) => {
  // Public Wi-Fi answers every request with its own page until the payer signs in; here that
  // answer comes after the checkout gave up, loads, and defines no Stripe.
  await page.clock.install();
  const { asked, end: answer } = await endFirstStripeJsLate(page, (route) =>
    route.fulfill({ contentType: "text/javascript", body: "window.signInPageRan = true;" }),
  );
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await page.clock.runFor(15_000);
  await expect(page.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  answer();
  await expect.poll(() => page.evaluate(() => window.signInPageRan === true)).toBe(true);
  await expect(page.getByTestId("card-load-failed")).toBeVisible();
  // Signed in, the payer tries again: no wait on the tag whose script has already run.
  await page.getByTestId("card-retry").click();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  expect(asked).toHaveLength(2);
});

test("double clicks during 3-D Secure charge once", async ({ page, request }) => {
  const number = await openShop(page);
  await fillCard(page, "4000 0027 6000 3184");
  await page.getByTestId("pay").dblclick();
  await expect(page.getByTestId("stripe-challenge")).toBeVisible();
  await expect(page.getByTestId("pay")).toBeDisabled();
  await page.getByTestId("pay").click({ force: true });
  await page.getByTestId("stripe-challenge-approve").dblclick();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("stripe-challenge")).toHaveCount(0);
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
});

test("Stripe.js loaded: its load deadline is cleared, so no timer of it outlives the checkout", async ({ page }) => {
  // Timers of 15 s or more still waiting (the deadline for Stripe.js to load is 15 s).
  await page.addInitScript(() => {
    const waiting = new Set();
    window.__longTimers = waiting;
    const set = window.setTimeout, clear = window.clearTimeout;
    window.setTimeout = function (f, ms, ...rest) {
      const id = set.call(this, (...args) => { waiting.delete(id); return typeof f === "function" ? f(...args) : undefined; }, ms, ...rest);
      if (ms >= 15_000) waiting.add(id);
      return id;
    };
    window.clearTimeout = function (id) { waiting.delete(id); return clear.call(this, id); };
  });
  await openShop(page);
  await page.getByTestId("kind-card").check();
  await expect(page.getByTestId("stripe-card-number")).toBeVisible();
  await expect(page.getByTestId("quote-amount")).toHaveText("$26.11");
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__longTimers.size)).toBe(0);
});

test("a payer who types a number and picks card before its network is found pays by card, at the card's amount", async ({ page, request }) => {
  // The number's lookup is held, as on a slow network, until the payer is on the card fields.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let looked = false;
  await page.route("**/api/dollr/v1/operator?**", async (route) => {
    looked = true;
    await held;
    await route.continue();
  });
  const number = await openShop(page);
  await page.getByTestId("phone").fill("088 123 1111");
  await expect.poll(() => looked).toBe(true);
  await fillCard(page, "4242 4242 4242 4242");
  const answered = page.waitForResponse("**/api/dollr/v1/operator?**");
  release();
  await answered;
  // The network's answer changes nothing on the card: its amount stays ($25.63 is the network's).
  await expect(page.getByTestId("quote-amount")).toHaveText("$26.11");
  // Back on mobile money, the number's network is there, with its own amount.
  await page.getByTestId("kind-mobile-money").check();
  await expect(page.getByTestId("operator")).toHaveValue("MTN_MOMO_LBR");
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  // And the card, chosen again, pays by card.
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("receipt-operator")).toHaveText("Visa ending in 4242");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
});
