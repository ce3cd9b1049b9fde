// The payer's and the merchant's paths in WebKit (Safari's engine; tests/e2e/webkit.mjs): the
// plain static shop under its strict CSP, and the trunk demo's reload, against the real proxy
// and sandbox. The Chromium tier covers every path; these are the ones where an engine's own
// WebAssembly, CSP, custom elements, shadow DOM, storage and key events decide the outcome.
import { expectAsDeclared } from "./declarations.mjs";
import { executionsFor } from "./helpers.mjs";
import { linesOf, pastTheScreen } from "./layout.mjs";
import { SHOP_PRIMARY, SHOP_PRIMARY_DARK } from "./static-shop.mjs";
import { KEYS, test, expect } from "./webkit.mjs";

/** Opens the static shop, waits for its checkout's form, and from then on records the page's
 *  CSP violations in `window.__violations`. The order's number. */
async function openStaticShop(webkit) {
  await webkit.goto("/shop/");
  await webkit.waitFor("payment-form");
  await webkit.evaluate(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return orderNumber(webkit);
}

/** The order's number in checkout `n`'s summary heading. */
async function orderNumber(webkit, n = 0) {
  const heading = await webkit.evaluate((summary) => summary.querySelector("h2").textContent, await webkit.inCheckout("order-summary", n));
  return heading.split("·")[1].trim();
}

/** The events the static shop's page heard, from its list. */
function events(webkit) {
  return webkit.evaluate(() =>
    [...document.querySelectorAll("#events li")].map((li) => ({
      name: li.dataset.event,
      detail: JSON.parse(li.textContent.slice(li.dataset.event.length + 1)),
    })),
  );
}

/** The computed background colour of Pay in checkout `n`. */
async function payColour(webkit, n = 0) {
  return webkit.evaluate((pay) => getComputedStyle(pay).backgroundColor, await webkit.waitFor("pay", n));
}

/** The page's CSP violations since openStaticShop. */
const violations = (webkit) => webkit.evaluate(() => window.__violations);

test("a full mobile-money payment on the static page under its strict CSP, with the documented events", async ({ webkit, request }) => {
  await webkit.goto("/shop/");
  // The page's policy is in force in this browser: what it does not allow is refused.
  expect(await webkit.evaluate(() => { try { return eval("'ran'"); } catch (e) { return e.name; } })).toBe("EvalError");
  const number = await openStaticShop(webkit);
  // The widget's stylesheet applied: Pay in the shop's brand colour, from its theming token.
  expect(await payColour(webkit)).toBe(SHOP_PRIMARY);
  await webkit.type("phone", "088 123 1111");
  await expect.poll(() => webkit.text("quote-amount")).toBe("$25.63");
  await webkit.click("pay");
  await expect.poll(() => webkit.text("success"), { timeout: 15_000 }).toContain("Payment complete");
  const { executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  await expect.poll(async () => (await events(webkit)).some((e) => e.name === "success")).toBe(true);
  const seen = await events(webkit);
  expect(seen[0]).toEqual({ name: "ready", detail: { source_number: number, total: "25", currency: "USD", methods: expect.arrayContaining(["MTN_MOMO_LBR", "CREDIT_CARD"]) } });
  expect(seen.filter((e) => e.name === "status").map((e) => e.detail.status)).toEqual(["editing", "sending", "waiting", "succeeded"]);
  expect(seen.find((e) => e.name === "success").detail).toEqual({
    reference_id: executions[0].reference_id,
    amount: "25.63",
    currency: "USD",
    method: "MTN_MOMO_LBR",
    source_number: number,
  });
  expectAsDeclared(seen);
  // The receipt says what was charged, in the payer's words.
  expect(await webkit.text("success")).toContain("MTN · +231 88 123 1111");
  // Style isolation: the widget's DOM is in its shadow root; only the element is in the page.
  expect(await webkit.evaluate(() => document.querySelector("dollr-checkout").children.length)).toBe(0);
  expect(await violations(webkit)).toEqual([]);
});

test("a declined payment: the payer reads why, the page hears dollr:failure, and nothing is charged", async ({ webkit, request }) => {
  const number = await openStaticShop(webkit);
  await webkit.type("phone", "088 000 2222");
  await expect.poll(() => webkit.inCheckout("quote")).not.toBeNull();
  await webkit.click("pay");
  await expect.poll(() => webkit.text("failure-reason"), { timeout: 15_000 }).toContain("declined on the phone");
  await expect.poll(async () => (await events(webkit)).some((e) => e.name === "failure")).toBe(true);
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["FAILED"]);
  expect((await events(webkit)).find((e) => e.name === "failure").detail).toEqual({
    reference_id: executions[0].reference_id,
    reason: "FailureDeclined",
    message: expect.stringContaining("declined"),
  });
  expectAsDeclared(await events(webkit));
  expect(await violations(webkit)).toEqual([]);
});

test("two checkouts on one page pay their own orders, and removing them leaves nothing in the page", async ({ webkit, request }) => {
  const first = await openStaticShop(webkit);
  const headBefore = await webkit.evaluate(() => document.head.innerHTML);
  await webkit.clickPage("#add");
  await webkit.waitFor("payment-form", 1);
  const second = await orderNumber(webkit, 1);
  expect(second).not.toBe(first);
  await webkit.type("phone", "077 123 1111", 1);
  await expect.poll(() => webkit.text("quote-amount", 1)).toBe("$25.63");
  await webkit.click("pay", 1);
  await expect.poll(() => webkit.text("success", 1), { timeout: 15_000 }).toContain("Payment complete");
  expect(await webkit.inCheckout("payment-form", 0)).not.toBeNull();
  expect((await executionsFor(request, second)).executions).toHaveLength(1);
  expect((await executionsFor(request, first)).executions).toHaveLength(0);
  await webkit.clickPage("#remove");
  expect(await webkit.evaluate(() => ({ widgets: document.querySelectorAll("dollr-checkout").length, slots: document.querySelectorAll("[slot]").length }))).toEqual({ widgets: 0, slots: 0 });
  expect(await webkit.evaluate(() => document.head.innerHTML)).toBe(headBefore);
  expect(await violations(webkit)).toEqual([]);
});

test("a hostile host stylesheet does not break the widget", async ({ webkit, request }) => {
  const number = await openStaticShop(webkit);
  // The page's own rules, as a theme or a reset might bring them (a constructed stylesheet, which
  // the page's CSP allows as it allows its own files).
  await webkit.evaluate(() => {
    const hostile = new CSSStyleSheet();
    hostile.replaceSync("* { all: unset !important; } button { display: none !important; } input { visibility: hidden !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, hostile];
  });
  // The rules hold on the page itself: its own buttons are gone.
  expect(await webkit.evaluate(() => getComputedStyle(document.getElementById("add")).display)).toBe("none");
  await webkit.type("phone", "088 123 1111");
  await expect.poll(() => webkit.text("quote-amount")).toBe("$25.63");
  // Pay and the number's field are still shown, and Pay keeps its colour.
  const shown = (el) => getComputedStyle(el).display !== "none" && getComputedStyle(el).visibility === "visible" && el.getBoundingClientRect().height > 0;
  expect(await webkit.evaluate(shown, await webkit.inCheckout("pay"))).toBe(true);
  expect(await webkit.evaluate(shown, await webkit.inCheckout("phone"))).toBe(true);
  expect(await payColour(webkit)).toBe(SHOP_PRIMARY);
  await webkit.click("pay");
  await expect.poll(() => webkit.text("success"), { timeout: 15_000 }).toContain("Payment complete");
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  expect(await violations(webkit)).toEqual([]);
});

test("the dark theme restyles the checkout in place, keeping what the payer typed", async ({ webkit }) => {
  await openStaticShop(webkit);
  await webkit.type("phone", "088 123 1111");
  await expect.poll(() => webkit.text("quote-amount")).toBe("$25.63");
  const form = await webkit.inCheckout("payment-form");
  await webkit.clickPage("#theme");
  await expect.poll(() => payColour(webkit)).toBe(SHOP_PRIMARY_DARK);
  expect(await webkit.evaluate((el) => el.isConnected, form)).toBe(true);
  expect(await webkit.evaluate((input) => input.value, await webkit.inCheckout("phone"))).toBe("088 123 1111");
  expect(await webkit.text("quote-amount")).toBe("$25.63");
  await webkit.clickPage("#theme");
  await expect.poll(() => payColour(webkit)).toBe(SHOP_PRIMARY);
  expect(await violations(webkit)).toEqual([]);
});

test("on a 320 px screen nothing of the checkout reaches past the screen, and no number is split from what it belongs to", async ({ webkit }) => {
  await webkit.openFramed("/shop/", 320, 640);
  await webkit.waitFor("payment-form");
  expect(await webkit.evaluate(() => innerWidth)).toBe(320);
  expect(await webkit.evaluate(pastTheScreen)).toEqual([]);
  const lines = async (testId, start) => webkit.evaluate(linesOf, await webkit.inCheckout(testId), start);
  // The order's number is not split at its hyphen.
  expect(await lines("order-summary", await orderNumber(webkit))).toBe(1);
  // Paying in Liberian dollars: the widest receipt (its exchange rate and fee).
  await webkit.type("phone", "088 123 1111");
  await webkit.click("currency-LRD");
  await expect.poll(() => webkit.text("quote-amount")).toContain("4,917.20");
  expect(await webkit.evaluate(pastTheScreen)).toEqual([]);
  expect(await lines("quote-rate", "190")).toBe(1);
  await webkit.click("pay");
  await webkit.waitFor("sent-to");
  expect(await webkit.evaluate(pastTheScreen)).toEqual([]);
  expect(await lines("sent-to", "+")).toBe(1);
  await webkit.waitFor("success", 0, 15_000);
  expect(await webkit.evaluate(pastTheScreen)).toEqual([]);
  expect(await webkit.text("receipt-operator")).toBe("MTN · +231 88 123 1111");
  expect(await lines("receipt-operator", "+")).toBe(1);
  expect(await lines("receipt-rate", "190")).toBe(1);
});

/** Opens the trunk demo on a new order and waits for its form; the order's number. The demo
 *  mounts the checkout on #checkout with the JS API, and keeps its order in localStorage, so a
 *  reload shows the same order, as a shop's order page does. */
async function openDemo(webkit) {
  webkit.hosts = "#checkout";
  await webkit.goto("/");
  await webkit.evaluate(() => localStorage.clear());
  await webkit.reload();
  await webkit.waitFor("payment-form");
  return orderNumber(webkit);
}

test("keyboard: each screen the payer brings about takes the focus, so Tab stays in the checkout", async ({ webkit }) => {
  await openDemo(webkit);
  // Loading the page moves no focus into the checkout.
  expect(await webkit.focused()).toBe("body");
  await webkit.type("phone", "0880002222");
  await webkit.waitFor("quote");
  await webkit.press(KEYS.Enter);
  await expect.poll(() => webkit.focused(), { timeout: 15_000 }).toEqual(["failure", "heading"]);
  await webkit.press(KEYS.Tab);
  expect(await webkit.focused()).toEqual(["try-again", "button"]);
  await webkit.press(KEYS.Enter);
  // Back on the form: its first field, the number as it was.
  await expect.poll(() => webkit.focused()).toEqual(["kind-mobile-money", "input"]);
  expect(await webkit.evaluate((input) => input.value, await webkit.inCheckout("phone"))).toBe("0880002222");
  // The payer types another number over the whole of the first.
  await webkit.evaluate((input) => input.select(), await webkit.inCheckout("phone"));
  await webkit.type("phone", "088 123 1111");
  await expect.poll(() => webkit.text("quote-amount")).toBe("$25.63");
  await webkit.evaluate((pay) => pay.focus(), await webkit.inCheckout("pay"));
  await webkit.press(KEYS.Enter);
  await expect.poll(() => webkit.focused()).toEqual(["waiting", "heading"]);
  // The payer moves on to the shop's own page while waiting: the outcome leaves that focus alone.
  await webkit.evaluate(() => document.getElementById("new-order").focus());
  await webkit.waitFor("success", 0, 15_000);
  expect(await webkit.focused()).toBe("#new-order");
});

test("a card payment with 3-D Secure, typed into Stripe's card field (the sandbox's stand-in), charged once", async ({ webkit, request }) => {
  const number = await openDemo(webkit);
  await webkit.click("kind-card");
  await webkit.typePage('[data-testid="stripe-card-number"]', "4000 0027 6000 3184");
  await webkit.typePage('[data-testid="stripe-card-expiry"]', "12 / 34");
  await webkit.typePage('[data-testid="stripe-card-cvc"]', "123");
  await expect.poll(() => webkit.text("quote-amount")).toBe("$26.11");
  await webkit.click("pay");
  await webkit.clickPage('[data-testid="stripe-challenge-approve"]');
  await expect.poll(() => webkit.text("success"), { timeout: 15_000 }).toContain("Payment complete");
  expect(await webkit.text("receipt-operator")).toBe("Visa ending in 3184");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
});

test("a reload while the payment is processing resumes it on the waiting screen, and charges once", async ({ webkit, request }) => {
  const number = await openDemo(webkit);
  await webkit.type("phone", "088 000 4444");
  await expect.poll(() => webkit.inCheckout("quote")).not.toBeNull();
  await webkit.click("pay");
  await webkit.waitFor("waiting");
  await expect.poll(async () => (await executionsFor(request, number)).executions.length).toBe(1);
  await webkit.reload();
  await webkit.waitFor("waiting");
  expect(await orderNumber(webkit)).toBe(number);
  expect(await webkit.text("sent-to")).toBe("+231 88 000 4444");
  expect(await webkit.inCheckout("phone")).toBeNull();
  await expect.poll(() => webkit.text("success"), { timeout: 20_000 }).toContain("Payment complete");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
});
