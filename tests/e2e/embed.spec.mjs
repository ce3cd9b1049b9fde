// Embedding as a merchant does it: the plain static shop (dist/shop), one script tag, the
// <dollr-checkout> element, a strict Content-Security-Policy, against the real proxy and sandbox.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { test, expect } from "@playwright/test";
import { preloadHints } from "../../scripts/preload-hints.mjs";
import { expectAsDeclared } from "./declarations.mjs";
import { CRASHED, CRASHED_SENTENCE, SANDBOX, demoOrder, executionsFor, refuseElementsToWidget, refuseForms, reloadWhileProcessing, stopClock } from "./helpers.mjs";
import { PROXY_PORT, SHOP_OVER_HTTP } from "./playwright.config.mjs";
import {
  consoleErrors,
  consoleMessages,
  editResponses,
  editShopHtml,
  events,
  expectPaidEvents,
  HOSTILE_CSS,
  heardCodes,
  liveCounts,
  manifest,
  nowhere,
  openStaticShop,
  openStaticShopExpectingLoadFailed,
  renderCheckouts,
  WASM_REFUSED,
  SHOP_PRIMARY,
  SHOP_PRIMARY_DARK,
  watch,
  withCdnPage,
} from "./static-shop.mjs";

/** The widget's wasm on the CDN, also when the loader asks again with a query (`?retry=1`). */
const WASM_FILE = /\/cdn\/dollr-checkout_bg\.[0-9a-f]{12}\.wasm(\?|$)/;
/** The widget's JS glue on the CDN, the same way. */
const GLUE_FILE = /\/cdn\/dollr-checkout-core\.[0-9a-f]{12}\.js(\?|$)/;

test("a full mobile-money payment on the static page under a strict CSP, with events", async ({ page, request }) => {
  const problems = await watch(page);
  const errors = consoleErrors(page);
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  await expect.poll(async () => (await events(page)).some((e) => e.name === "success")).toBe(true);
  // The documented events, each carrying exactly the fields dollr-checkout.d.ts declares.
  expectPaidEvents(await events(page), number, executions[0].reference_id);
  // Style isolation: the widget's DOM is in its shadow root; only the element is in the page.
  expect(await widget.evaluate((el) => el.children.length)).toBe(0);
  expect(problems).toEqual([]);
  // Nothing in the console a merchant would have to look into (a missing icon's 404 included).
  expect(errors).toEqual([]);
});

test("a page enforcing Trusted Types that allows only its own policy: a mobile-money payment completes, as the widget writes no HTML string, and Card says it couldn't load instead of stopping the checkout", async ({ page, request }) => {
  const problems = await watch(page);
  const errors = consoleErrors(page);
  // The shop's own policy, plus Trusted Types: no HTML string and no script URL is taken as is,
  // and the only policy allowed is the shop's own (the widget's is refused).
  await editShopHtml(page, (html) => html.replace("<head>", `<head><meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types shop">`));
  const { widget, number } = await openStaticShop(page);
  // Stripe.js is added as a script: its URL is refused, by policy and plain, which the payer
  // reads as cards that couldn't load (mobile money still works), and the console says what
  // the page can allow.
  await widget.getByTestId("kind-card").check();
  await expect(widget.getByTestId("card-load-failed")).toBeVisible();
  expect(errors.filter((text) => text.includes("Trusted Types refused Stripe.js's URL") && text.includes("trusted-types dollr-checkout"))).toHaveLength(1);
  await widget.getByTestId("kind-mobile-money").check();
  // Every screen of a mobile-money payment: declined first, then paid.
  await widget.getByTestId("phone").fill("088 123 2222");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("waiting")).toBeVisible();
  await expect(widget.getByTestId("failure-reason")).toBeVisible();
  await widget.getByTestId("try-again").click();
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  await expect(widget.getByTestId("receipt")).toBeVisible();
  expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["FAILED", "COMPLETED"]);
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  // The two reports: the widget's policy refused, then the plain script URL.
  expect(problems).toEqual([
    "Content Security Policy: trusted-types trusted-types-policy",
    "Content Security Policy: require-trusted-types-for trusted-types-sink",
  ]);
});

test("a grant that runs out while the payer is on the form: the page hears ErrorGrantExpired, renews it, and the payer's number is still there to pay the same order once", async ({ page, request }) => {
  const problems = await watch(page);
  // The shop's renewal is held until the payer's screen meanwhile has been read.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route("**/api/dollr/dev/checkout", async (route) => {
    if (route.request().postDataJSON()?.renew) await held;
    await route.continue();
  });
  // The shop's first grant lasts three seconds; its renewal, an hour (www/shop/shop.js).
  await page.goto("/shop/?grant-seconds=3");
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  const heading = widget.getByTestId("order-summary").getByRole("heading");
  const number = (await heading.textContent()).split("·")[1].trim();
  await page.waitForTimeout(3500); // the grant, minted before the page asked for the order, is out
  await widget.getByTestId("phone").fill("088 123 1111");
  // The network's lookup is refused: the checkout ends with a sentence, and the page is told.
  await expect.poll(async () => (await events(page)).filter((e) => e.name === "error").map((e) => e.detail)).toEqual([
    { code: "ErrorGrantExpired", message: "This checkout has expired. Please reload the page to start again." },
  ]);
  // The shop cancelled the event as it went for a new grant: while it comes, the payer reads
  // that the checkout reconnects (the screen, and the live region), never that it has expired,
  // and the focus they had in the form is on that sentence, under the order they are paying.
  const renewing = widget.getByTestId("renewing");
  await expect(renewing).toHaveText("Reconnecting your checkout…");
  await expect(renewing).toBeFocused();
  await expect(widget.getByTestId("status")).toHaveText("Reconnecting your checkout…");
  await expect(heading).toContainText(number);
  await expect(widget.getByText(/expired|reload/)).toHaveCount(0);
  release();
  // The shop renewed the grant: the same order's form is back with the number the payer typed,
  // and pays once.
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  await expect(heading).toContainText(number);
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  // The focus the payer had in the old checkout is in the new one, not lost to the page.
  await expect(widget.getByRole("radio", { name: "Mobile money" })).toBeFocused();
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  await expect.poll(async () => (await events(page)).some((e) => e.name === "success")).toBe(true);
  const seen = await events(page);
  const statuses = seen.filter((e) => e.name === "status").map((e) => e.detail.status);
  expect(statuses).toEqual(["editing", "error", "editing", "sending", "waiting", "succeeded"]);
  expectAsDeclared(seen);
  expect(problems).toEqual([]);
});

test("a page that hands a new grant from inside its dollr:error listener: the rebuilt checkout keeps the payer's number", async ({ page, request }) => {
  const problems = await watch(page);
  await page.goto("/shop/?grant-seconds=3");
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  const heading = widget.getByTestId("order-summary").getByRole("heading");
  const number = (await heading.textContent()).split("·")[1].trim();
  // The page holds a fresh grant for the same order already, and gives it while the widget is
  // still telling it of the refusal (before the shop's own renewal runs).
  const first = await widget.evaluate((el) => el.grant);
  const { grant: fresh } = await (await request.post("/api/dollr/dev/checkout", { data: { renew: first } })).json();
  await page.evaluate((fresh) => {
    document.addEventListener("dollr:error", (event) => {
      if (event.detail.code !== "ErrorGrantExpired") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      event.target.grant = fresh;
    }, { capture: true });
  }, fresh);
  await page.waitForTimeout(3500); // the first grant is out
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await expect(heading).toContainText(number);
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  expect(problems).toEqual([]);
});

test("a grant that runs out while the payment waits: the payer keeps their place on the waiting screen, and the payment is followed, not sent again", async ({ page, request }) => {
  const problems = await watch(page);
  // Ten seconds: time to pay before it runs out; then a status poll is refused, and the shop
  // renews the grant (www/shop/shop.js).
  await page.goto("/shop/?grant-seconds=10");
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  const number = (await widget.getByTestId("order-summary").getByRole("heading").textContent()).split("·")[1].trim();
  await widget.getByTestId("phone").fill("088 123 5555"); // stays PROCESSING
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  const heading = widget.getByTestId("waiting").getByRole("heading");
  await expect(heading).toBeFocused();
  const statuses = async () => (await events(page)).filter((e) => e.name === "status").map((e) => e.detail);
  await expect.poll(statuses, { timeout: 20_000 }).toEqual([
    { status: "editing", reference_id: null },
    { status: "sending", reference_id: expect.any(String) },
    { status: "waiting", reference_id: expect.any(String) },
    { status: "error", reference_id: null },
    { status: "waiting", reference_id: expect.any(String) },
  ]);
  const seen = await statuses();
  expect(new Set(seen.slice(1).map((s) => s.reference_id).filter(Boolean)).size).toBe(1);
  // The waiting screen of the rebuilt checkout has the focus the payer had in the old one.
  await expect(heading).toBeFocused();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  expectAsDeclared(await events(page));
  expect(problems).toEqual([]);
});

test("a declined payment: the page hears dollr:failure with the documented detail", async ({ page, request }) => {
  const problems = await watch(page);
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 000 2222");
  await expect(widget.getByTestId("pay")).toBeEnabled();
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("failure-reason")).toContainText("declined on the phone");
  await expect.poll(async () => (await events(page)).some((e) => e.name === "failure")).toBe(true);
  const { executions } = await executionsFor(request, number);
  const failure = (await events(page)).find((e) => e.name === "failure").detail;
  expect(failure).toEqual({ reference_id: executions[0].reference_id, reason: "FailureDeclined", message: expect.stringContaining("declined") });
  expectAsDeclared(await events(page));
  expect(problems).toEqual([]);
});

test("the element's attributes are properties too, including one a framework set before the loader ran", async ({ page }) => {
  const problems = await watch(page);
  const grants = [];
  for (let i = 0; i < 2; i++) grants.push((await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json()).grant);
  // The page's HTML has the element without a grant; a framework sets it as a property as soon
  // as the parser inserts it, while the deferred loader has not defined the element yet.
  await editShopHtml(page, renderCheckouts('<dollr-checkout proxy="/api/dollr"></dollr-checkout>'));
  await page.addInitScript((grant) => {
    new MutationObserver((_, observer) => {
      const element = document.querySelector("dollr-checkout");
      if (!element) return;
      element.grant = grant;
      window.__definedWhenSet = Boolean(customElements.get("dollr-checkout"));
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, grants[0]);
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout");
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  expect(await page.evaluate(() => window.__definedWhenSet)).toBe(false);
  const read = () => widget.evaluate((el) => ({ grant: el.grant, attribute: el.getAttribute("grant"), proxy: el.proxy, minutes: el.timeLimitMinutes, theme: el.theme }));
  expect(await read()).toEqual({ grant: grants[0], attribute: grants[0], proxy: "/api/dollr", minutes: null, theme: null });
  const firstOrder = await widget.getByTestId("order-summary").getByRole("heading").textContent();
  // Setting a property rebuilds the widget, as the attribute does.
  await widget.evaluate((el, grant) => { el.grant = grant; el.timeLimitMinutes = 20; el.theme = "dark"; }, grants[1]);
  await expect(widget.getByTestId("order-summary").getByRole("heading")).not.toHaveText(firstOrder);
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  expect(await read()).toEqual({ grant: grants[1], attribute: grants[1], proxy: "/api/dollr", minutes: 20, theme: "dark" });
  expect(await widget.evaluate((el) => el.getAttribute("time-limit-minutes"))).toBe("20");
  // null removes the attribute: without a grant the checkout cannot run, and says so.
  await widget.evaluate((el) => { el.grant = null; });
  expect(await widget.evaluate((el) => el.hasAttribute("grant"))).toBe(false);
  await expect(widget.getByRole("alert")).toContainText("not set up correctly");
  expect(problems).toEqual([]);
});

test("a reload while PROCESSING resumes from the order the loader read, and charges once", async ({ page, request }) => {
  const problems = await watch(page);
  const { grant } = await (await request.post("/api/dollr/dev/checkout", { data: {} })).json();
  // The shop's server renders the same order into the page on every load, as a real shop does.
  await editShopHtml(page, renderCheckouts(`<dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout>`));
  const { widget, number } = await openStaticShop(page);
  const execution = await reloadWhileProcessing(page, widget, request, number);
  const success = (await events(page)).find((e) => e.name === "success").detail;
  expect(success.reference_id).toBe(execution.reference_id);
  expectAsDeclared(await events(page));
  expect(problems).toEqual([]);
});

test("two widgets on one page pay their own orders", async ({ page, request }) => {
  const problems = await watch(page);
  const { number: first } = await openStaticShop(page);
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  const second = page.locator("dollr-checkout").nth(1);
  await expect(second.getByTestId("payment-form")).toBeVisible();
  const secondNumber = (await second.getByTestId("order-summary").getByRole("heading").textContent()).split("·")[1].trim();
  expect(secondNumber).not.toBe(first);
  await second.getByTestId("phone").fill("077 123 1111");
  await expect(second.getByTestId("quote")).toBeVisible();
  await second.getByTestId("pay").click();
  await expect(second.getByTestId("success")).toBeVisible();
  await expect(page.locator("dollr-checkout").first().getByTestId("payment-form")).toBeVisible();
  expect((await executionsFor(request, secondNumber)).executions).toHaveLength(1);
  expect((await executionsFor(request, first)).executions).toHaveLength(0);
  expect(problems).toEqual([]);
});

test("removing the element leaves no listeners, timers or styles behind", async ({ page }) => {
  const problems = await watch(page);
  await openStaticShop(page);
  await page.waitForTimeout(300);
  const during = await page.evaluate(liveCounts);
  expect(during.timers).toBeGreaterThan(0); // the widget's clock, at least
  const headBefore = await page.evaluate(() => document.head.innerHTML);
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => ({
    intervals: window.__live.intervals.size,
    timeouts: window.__live.timeouts.size,
    listeners: window.__live.windowListeners,
    documentListeners: window.__live.documentListeners,
    slots: document.querySelectorAll("[slot]").length,
    widgets: document.querySelectorAll("dollr-checkout").length,
  }));
  // The widget's own: another tab's writes and the browser back online (window), the page shown
  // again (document).
  expect(after).toEqual({
    intervals: 0,
    timeouts: 0,
    listeners: during.windowListeners - 2,
    documentListeners: during.documentListeners - 1,
    slots: 0,
    widgets: 0,
  });
  expect(await page.evaluate(() => document.head.innerHTML)).toBe(headBefore);
  expect(problems).toEqual([]);
});

test("a page whose own clock replaces setTimeout (a merchant's tests): removing the checkout stops its timers", async ({ page }) => {
  const problems = await watch(page);
  // Playwright's clock hands out timer handles from 10^12 on, past 32 bits.
  await page.clock.install();
  await openStaticShop(page);
  await stopClock(page);
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  // Each timer the widget cleared stays cleared: none of its callbacks runs after its removal.
  await page.clock.runFor(60_000);
  await page.clock.resume();
  await page.waitForTimeout(300);
  expect(problems).toEqual([]);
});

test("moving the element keeps its checkout: what the payer typed, and no second start", async ({ page, request }) => {
  const problems = await watch(page);
  const orders = [];
  page.on("request", (r) => { if (r.url().endsWith("/api/dollr/v1/checkout")) orders.push(r.url()); });
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  const heard = (await events(page)).length;
  const asked = orders.length;
  // Three ways a page moves an element: appendChild elsewhere, insertBefore back, and the
  // atomic moveBefore; each takes it out of the document and puts it back in one go.
  await page.evaluate(() => {
    const element = document.querySelector("dollr-checkout");
    const aside = Object.assign(document.createElement("section"), { id: "aside" });
    document.querySelector("main").prepend(aside);
    aside.appendChild(element);
    document.querySelector("#checkouts").insertBefore(element, null);
    if (typeof Element.prototype.moveBefore === "function") aside.moveBefore(element, null);
    else aside.appendChild(element);
  });
  await page.waitForTimeout(500);
  const moved = page.locator("#aside dollr-checkout");
  await expect(moved.getByTestId("phone")).toHaveValue("088 123 1111");
  await expect(moved.getByTestId("quote-amount")).toHaveText("$25.63");
  expect((await events(page)).slice(heard)).toEqual([]); // neither rebuilt nor restarted
  expect(orders.length).toBe(asked);
  await moved.getByTestId("pay").click();
  await expect(moved.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  // Taken out for good (past the script that took it out), it is unmounted as before.
  await page.evaluate(() => document.querySelector("dollr-checkout").remove());
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__live.intervals.size + window.__live.timeouts.size)).toBe(0);
  expect(problems).toEqual([]);
});

test("a checkout rebuilt under the payer (an option changed) keeps the network and currency they chose, and the card they picked", async ({ page, request }) => {
  const problems = await watch(page);
  const { widget, number } = await openStaticShop(page);
  const readies = async () => (await events(page)).filter((e) => e.name === "ready").length;
  const rebuild = async (minutes) => {
    const before = await readies();
    await widget.evaluate((el, value) => { el.timeLimitMinutes = value; }, minutes);
    await expect.poll(readies).toBe(before + 1);
    await expect(widget.getByTestId("payment-form")).toBeVisible();
  };
  // The number is MTN's; the payer picks Orange and pays in Liberian dollars.
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("operator")).toHaveValue("MTN_MOMO_LBR");
  await widget.getByTestId("operator").selectOption("ORANGE_MONEY_LBR");
  await widget.getByTestId("currency-LRD").check();
  await expect(widget.getByTestId("quote-rate")).toBeVisible();
  const amount = await widget.getByTestId("quote-amount").textContent();
  expect(amount).not.toContain("$");
  await rebuild(20);
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  await expect(widget.getByTestId("operator")).toHaveValue("ORANGE_MONEY_LBR");
  await expect(widget.getByTestId("currency-LRD")).toBeChecked();
  await expect(widget.getByTestId("quote-amount")).toHaveText(amount);
  // On card when it is rebuilt: back on card, and the wallet's choice still there. (This page's
  // policy lets in Stripe's own hosts, not the sandbox's stand-in: the card fields themselves
  // load on the demo page, in card.spec.mjs.)
  await widget.getByTestId("kind-card").check();
  await expect(widget.getByTestId("card-host")).toBeVisible();
  await rebuild(25);
  await expect(widget.getByTestId("kind-card")).toBeChecked();
  await expect(widget.getByTestId("kind-card")).toBeFocused(); // the payer's choice, where they were
  await expect(widget.getByTestId("card-host")).toBeVisible();
  await expect(widget.getByTestId("phone")).toBeHidden();
  await widget.getByTestId("kind-mobile-money").check();
  await expect(widget.getByTestId("operator")).toHaveValue("ORANGE_MONEY_LBR");
  await expect(widget.getByTestId("currency-LRD")).toBeChecked();
  await expect(widget.getByTestId("quote-amount")).toHaveText(amount);
  // The number is MTN's after all (Dollr refuses it as Orange's): the currency stays with it.
  await widget.getByTestId("operator").selectOption("MTN_MOMO_LBR");
  await expect(widget.getByTestId("currency-LRD")).toBeChecked();
  await expect(widget.getByTestId("quote-amount")).toContainText("LRD");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.currency, e.status])).toEqual([["MTN_MOMO_LBR", "LRD", "COMPLETED"]]);
  // The only complaints are the page's policy refusing the stand-in Stripe.js, as said above.
  expect(problems.filter((p) => !p.includes("/__sandbox/stripe.js"))).toEqual([]);
});

test("a page that unmounts or rebuilds the checkout from its own dollr:ready listener", async ({ page }) => {
  const problems = await watch(page);
  await openStaticShop(page);
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  const grants = [];
  for (let i = 0; i < 2; i++) grants.push((await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json()).grant);
  // The order is in before the widget starts, so dollr:ready is sent while it mounts.
  await page.evaluate(([first, second]) => {
    const main = document.querySelector("main");
    const gone = Object.assign(document.createElement("div"), { id: "gone" });
    const rebuilt = Object.assign(document.createElement("div"), { id: "rebuilt" });
    main.append(gone, rebuilt);
    window.__readies = { gone: 0, rebuilt: 0 };
    const unmounted = window.DollrCheckout.mount(gone, {
      proxy: "/api/dollr", grant: first, onReady: () => { window.__readies.gone += 1; unmounted.unmount(); },
    });
    const updated = window.DollrCheckout.mount(rebuilt, {
      proxy: "/api/dollr", grant: second,
      onReady: () => { if ((window.__readies.rebuilt += 1) === 1) updated.update({ timeLimitMinutes: 20 }); },
    });
    window.__updated = updated;
  }, grants);
  await expect(page.locator("#rebuilt").getByTestId("payment-form")).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__readies)).toEqual({ gone: 1, rebuilt: 2 });
  await page.waitForTimeout(1500); // a tick of any clock left running
  expect(await page.locator("#gone").evaluate((el) => el.shadowRoot?.childElementCount ?? 0)).toBe(0);
  expect(await page.locator("#rebuilt").evaluate((el) => el.shadowRoot.querySelectorAll("[data-testid=payment-form]").length)).toBe(1);
  // The one left running is the only one to clear: then nothing of either remains.
  await page.evaluate(() => window.__updated.unmount());
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__live.intervals.size + window.__live.timeouts.size)).toBe(0);
  expect(problems).toEqual([]);
});

test("an app whose code runs before the loader mounts through the JS API once <dollr-checkout> is defined, as the README's React recipe waits", async ({ page, request }) => {
  const problems = await watch(page);
  const { grant } = await demoOrder(request);
  // The app's code, first of all the page's scripts: the loader has not run yet.
  await page.addInitScript((grant) => {
    window.__early = typeof window.DollrCheckout;
    customElements.whenDefined("dollr-checkout").then(() => {
      const target = Object.assign(document.createElement("div"), { id: "app" });
      document.body.append(target);
      window.__handle = window.DollrCheckout.mount(target, { proxy: "/api/dollr", grant });
    });
  }, grant);
  await openStaticShop(page);
  expect(await page.evaluate(() => window.__early)).toBe("undefined");
  const app = page.locator("#app");
  await expect(app.getByTestId("payment-form")).toBeVisible();
  await app.getByTestId("phone").fill("088 123 1111");
  await expect(app.getByTestId("quote-amount")).toHaveText("$25.63");
  await page.evaluate(() => window.__handle.unmount());
  await expect(app.getByTestId("payment-form")).toHaveCount(0);
  expect(problems).toEqual([]);
});

test("a framework handing new callbacks on each render: update() swaps them, and the checkout and what the payer chose stay", async ({ page, request }) => {
  const problems = await watch(page);
  await openStaticShop(page);
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json();
  const orders = [];
  page.on("request", (r) => { if (r.url().endsWith("/api/dollr/v1/checkout")) orders.push(r.url()); });
  await page.evaluate((grant) => {
    const target = Object.assign(document.createElement("div"), { id: "framework" });
    document.querySelector("main").append(target);
    window.__heard = [];
    const render = (name) => ({ proxy: "/api/dollr", grant, onStatus: (detail) => window.__heard.push([name, detail.status]) });
    // As the README's React recipe runs under StrictMode: mount, update, unmount, mount, update.
    const discarded = window.DollrCheckout.mount(target, render("discarded render"));
    discarded.update(render("discarded render"));
    discarded.unmount();
    window.__handle = window.DollrCheckout.mount(target, render("first render"));
    window.__render = (name) => window.__handle.update(render(name));
    window.__render("first render");
  }, grant);
  const widget = page.locator("#framework");
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  const number = (await widget.getByTestId("order-summary").getByRole("heading").textContent()).split("·")[1].trim();
  await widget.getByTestId("phone").fill("088 123 1111");
  await widget.getByTestId("currency-LRD").check();
  await expect(widget.getByTestId("quote-rate")).toBeVisible();
  const asked = orders.length;
  // Two renders, each with the same options and new closures.
  await page.evaluate(() => { window.__render("second render"); window.__render("third render"); });
  await page.waitForTimeout(500);
  expect(orders.length).toBe(asked); // not started again
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  await expect(widget.getByTestId("currency-LRD")).toBeChecked();
  await expect(widget.getByTestId("currency-LRD")).toBeFocused(); // where the payer was
  // The events go to the latest callback alone.
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__heard)).toEqual([
    ["first render", "editing"],
    ["third render", "sending"],
    ["third render", "waiting"],
    ["third render", "succeeded"],
  ]);
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  await page.evaluate(() => window.__handle.unmount());
  expect(problems).toEqual([]);
});

test("a hostile host stylesheet does not break the widget", async ({ page, request }) => {
  const problems = await watch(page);
  await page.route("**/shop/shop.css", async (route) => {
    const original = await route.fetch();
    const css = `${await original.text()}\n${HOSTILE_CSS}`;
    await route.fulfill({ response: original, body: css });
  });
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("pay")).toBeVisible();
  await expect(widget.getByTestId("pay")).toBeEnabled();
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  expect(problems).toEqual([]);
});

test("a number the shop already knows is entered for the payer: a short one says so at once, a whole one is quoted and paid without typing", async ({ page, request }) => {
  const { widget, number } = await openStaticShop(page);
  const phone = widget.getByTestId("phone");
  await widget.evaluate((el) => (el.phone = "088 123"));
  await expect(phone).toHaveValue("088 123");
  await expect(widget.getByTestId("phone-error")).toHaveText(/too short/);
  await widget.getByTestId("pay").click();
  await expect(phone).toBeFocused();
  // With its country code: Rwanda chosen, its network found, the amount quoted.
  await widget.evaluate((el) => (el.phone = "+250 78 123 1111"));
  await expect(widget.getByTestId("country")).toHaveValue("RW");
  await expect(widget.getByTestId("quote-amount")).toBeVisible();
  await expect(widget.getByTestId("phone-error")).toHaveCount(0);
  // The payer may change it: their own number is the one charged.
  await widget.getByTestId("country").selectOption("LR");
  await phone.fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  await expect(widget.getByTestId("receipt")).toContainText("+231 88 123 1111");
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("the JS API: callbacks, validation naming the bad field, update and unmount", async ({ page }) => {
  const problems = await watch(page);
  const errors = consoleErrors(page);
  const warnings = consoleMessages(page, "warning");
  await openStaticShop(page);
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json();
  await page.evaluate((grant) => {
    const host = document.createElement("div");
    host.id = "api";
    document.querySelector("main").append(host);
    window.__calls = [];
    window.__handle = window.DollrCheckout.mount(host, {
      proxy: "/api/dollr",
      grant,
      onReady: (d) => window.__calls.push(["ready", d.source_number]),
      onStatus: (d) => window.__calls.push(["status", d.status]),
    });
  }, grant);
  await expect(page.locator("#api").getByTestId("payment-form")).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__calls.map((c) => c[0]))).toEqual(["ready", "status"]);
  // What only shapes the checkout is set aside with a warning naming it; the payer can still pay.
  await page.evaluate(() => window.__handle.update({ locale: "rw-RW" }));
  await expect.poll(() => warnings.some((w) => w.includes('option `locale`: "rw-RW" has no translation yet'))).toBe(true);
  await expect(page.locator("#api").getByTestId("payment-form")).toBeVisible();
  await expect(page.locator("#api").getByRole("alert")).toHaveCount(0);
  await page.evaluate(() => window.__handle.update({ timeLimitMinutes: 600, colour: "red" }));
  await expect.poll(() => warnings.some((w) => w.includes("`timeLimitMinutes` must be a number of minutes from 1 to 120; 15 is used"))).toBe(true);
  await expect.poll(() => warnings.some((w) => w.includes("`colour` is not an option"))).toBe(true);
  await expect(page.locator("#api").getByTestId("payment-form")).toBeVisible();
  // An option of the wrong type is a broken integration: it stops the checkout, named.
  await page.evaluate(() => window.__handle.update({ locale: "en", timeLimitMinutes: "15" }));
  await expect(page.locator("#api").getByRole("alert")).toContainText("not set up correctly");
  await expect.poll(() => errors.some((e) => e.includes("invalid option `timeLimitMinutes`: must be a number"))).toBe(true);
  // One JSON cannot write (a BigInt) is named the same way, and update() does not throw.
  const named = () => errors.filter((e) => e.includes("invalid option `timeLimitMinutes`: must be a number")).length;
  const before = named();
  await page.evaluate(() => window.__handle.update({ timeLimitMinutes: 20n }));
  await expect.poll(named).toBe(before + 1);
  await expect(page.locator("#api").getByRole("alert")).toContainText("not set up correctly");
  await page.evaluate((grant) => window.__handle.update({ timeLimitMinutes: 15, grant }), grant);
  await expect(page.locator("#api").getByTestId("payment-form")).toBeVisible();
  await page.evaluate(() => window.__handle.unmount());
  await expect(page.locator("#api").getByRole("alert")).toHaveCount(0);
  expect(await page.locator("#api").evaluate((el) => el.shadowRoot.childElementCount)).toBe(0);
  expect(problems).toEqual([]);
});

test("element.focus() and the handle's focus() put the keyboard in the checkout, where its screen takes it", async ({ page }) => {
  const problems = await watch(page);
  // Its policy names the sandbox's Stripe.js, which choosing Card loads.
  await editShopHtml(page, (html) => html.replace("script-src 'self'", `script-src 'self' ${SANDBOX}`));
  const { widget } = await openStaticShop(page);
  const elsewhere = page.getByRole("button", { name: "Dark theme" });
  // On the form: the chosen payment method, from wherever the focus was on the page.
  await elsewhere.focus();
  await widget.evaluate((el) => el.focus());
  await expect(widget.getByRole("radio", { name: "Mobile money" })).toBeFocused();
  await widget.getByRole("radio", { name: "Card" }).check();
  await elsewhere.focus();
  await widget.evaluate((el) => el.focus());
  await expect(widget.getByRole("radio", { name: "Card" })).toBeFocused();
  await widget.getByRole("radio", { name: "Mobile money" }).check();
  // On the waiting screen: its heading, which a screen reader reads.
  await widget.getByTestId("phone").fill("088 000 4444");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("waiting")).toBeVisible();
  await elsewhere.focus();
  await widget.evaluate((el) => el.focus());
  await expect(widget.getByRole("heading", { name: "Approve the payment on your phone" })).toBeFocused();
  // Through the JS API: nothing before the checkout is drawn (and no error), then the same.
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json();
  await elsewhere.focus();
  await page.evaluate((grant) => {
    const host = document.createElement("div");
    host.id = "api";
    document.querySelector("main").append(host);
    window.__handle = window.DollrCheckout.mount(host, { proxy: "/api/dollr", grant });
    window.__handle.focus();
  }, grant);
  await expect(elsewhere).toBeFocused();
  const api = page.locator("#api");
  await expect(api.getByTestId("payment-form")).toBeVisible();
  await page.evaluate(() => window.__handle.focus());
  await expect(api.getByRole("radio", { name: "Mobile money" })).toBeFocused();
  expect(problems).toEqual([]);
});

test("a grant the page promised to renew that never comes: the payer waits 10 s, reading that the checkout reconnects, then is told it has expired", async ({ page }) => {
  const problems = await watch(page);
  await openStaticShop(page);
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: { grant_seconds: 1 } })).json();
  await page.waitForTimeout(1500);
  await page.evaluate((grant) => {
    const host = document.createElement("div");
    host.id = "api";
    document.querySelector("main").append(host);
    window.__calls = [];
    window.DollrCheckout.mount(host, {
      proxy: "/api/dollr",
      grant,
      // A shop whose renewal fails without a word: it promised, and no grant comes.
      onError: (detail, event) => {
        event.preventDefault();
        event.stopPropagation(); // not one of the shop's own checkouts, which it renews itself
        window.__calls.push([detail.code, event.type, event.cancelable]);
      },
      onStatus: (detail) => window.__calls.push([detail.status]),
    });
  }, grant);
  const widget = page.locator("#api");
  const status = widget.getByTestId("status");
  await expect.poll(() => page.evaluate(() => window.__calls)).toEqual([["error"], ["ErrorGrantExpired", "dollr:error", true]]);
  const promised = Date.now();
  // The order never came, so the payer reads that it is loading, and nothing says it expired.
  await expect(widget.getByTestId("loading")).toBeVisible();
  await expect(status).toHaveText("Loading your order…");
  await expect(widget.getByRole("alert")).toHaveCount(0);
  await expect(widget.getByRole("alert")).toHaveText("This checkout has expired. Please reload the page to start again.", { timeout: 15_000 });
  const waited = Date.now() - promised;
  expect(waited).toBeGreaterThan(8_000);
  await expect(status).toHaveText("This checkout has expired. Please reload the page to start again.");
  // The page heard the refusal once: the end of the wait is not a second error.
  expect(await page.evaluate(() => window.__calls)).toEqual([["error"], ["ErrorGrantExpired", "dollr:error", true]]);
  expect(problems).toEqual([]);
});

/** Records, frame by frame, what the first checkout showed: L loading, F the form, . nothing yet. */
async function recordFrames(page) {
  await page.addInitScript(() => {
    window.__frames = [];
    const look = () => {
      const root = document.querySelector("dollr-checkout")?.shadowRoot;
      const shown = root?.querySelector("[data-testid=loading]") ? "L" : root?.querySelector("[data-testid=phone]") ? "F" : ".";
      if (window.__frames.at(-1) !== shown) window.__frames.push(shown);
      if (shown !== "F") requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}

test("the order is requested once, while the wasm is still downloading", async ({ page }) => {
  const problems = await watch(page);
  await recordFrames(page);
  // A slow network for the wasm only: the loader must not wait for it to ask for the order.
  await page.route(WASM_FILE, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  const orderRequests = [];
  page.on("request", (r) => { if (r.url().endsWith("/v1/checkout")) orderRequests.push(r.url()); });
  await openStaticShop(page);
  const timing = await page.evaluate(() => {
    const entries = performance.getEntriesByType("resource");
    const order = entries.find((e) => e.name.endsWith("/v1/checkout"));
    const wasm = entries.find((e) => /\/cdn\/dollr-checkout_bg\.[0-9a-f]{12}\.wasm$/.test(e.name));
    return { orderEnd: order.responseEnd, wasmEnd: wasm.responseEnd };
  });
  expect(timing.orderEnd).toBeLessThan(timing.wasmEnd);
  expect(orderRequests).toHaveLength(1);
  // The order answered first, so the payer goes straight to the form: no "Loading" flash.
  expect(await page.evaluate(() => window.__frames.join(""))).toBe(".F");
  expect(problems).toEqual([]);
});

test("an order answer slower than the widget: \"Loading\" shows while it comes, then the form", async ({ page }) => {
  const problems = await watch(page);
  await recordFrames(page);
  // The loader waits a moment for an answer on its way (so a payer is not shown "Loading" for
  // a few milliseconds), but not for one that takes seconds.
  let answered = 0;
  await page.route("**/api/dollr/v1/checkout", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2500));
    answered = Date.now();
    await route.continue();
  });
  await openStaticShop(page);
  const formSeen = Date.now();
  expect(answered).toBeGreaterThan(0);
  expect(formSeen).toBeGreaterThanOrEqual(answered);
  expect(await page.evaluate(() => window.__frames.join(""))).toBe(".LF");
  expect(problems).toEqual([]);
});

for (const [when, wasmDelay] of [["before the widget started", 1500], ["while it shows Loading", 0]]) {
  test(`removed ${when}, its order still on the way: the request is cancelled and nothing is left running`, async ({ page }) => {
    const problems = await watch(page);
    let aborted = false;
    await page.route("**/api/dollr/v1/checkout", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await route.continue().catch(() => { aborted = true; }); // the browser gave the request up
    });
    page.on("requestfailed", (r) => { if (r.url().endsWith("/v1/checkout")) aborted = true; });
    if (wasmDelay) {
      await page.route(WASM_FILE, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, wasmDelay));
        await route.continue();
      });
    }
    await page.goto("/shop/");
    const widget = page.locator("dollr-checkout");
    if (wasmDelay) await widget.waitFor({ state: "attached" });
    else await expect(widget.getByTestId("loading")).toBeVisible();
    await page.getByRole("button", { name: "Remove the checkouts" }).click();
    await expect.poll(() => aborted, { timeout: 5000 }).toBe(true);
    await page.waitForTimeout(wasmDelay + 300); // past the wasm's arrival: nothing mounts then
    expect(await page.evaluate(() => window.__live.intervals.size + window.__live.timeouts.size)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll("dollr-checkout, [slot]").length)).toBe(0);
    expect((await events(page)).map((e) => e.name)).toEqual([]);
    expect(problems).toEqual([]);
  });
}

test("a bad grant in the page's HTML: the order answered before the widget started still gets a plain sentence", async ({ page }) => {
  const problems = await watch(page);
  await page.route(WASM_FILE, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await page.route("**/shop/", async (route) => {
    const response = await route.fetch();
    const html = renderCheckouts('<dollr-checkout proxy="/api/dollr" grant="aaa.bbb.ccc"></dollr-checkout>')(await response.text());
    await route.fulfill({ response, body: html });
  });
  const orderAnswers = [];
  page.on("response", (r) => { if (r.url().endsWith("/v1/checkout")) orderAnswers.push(r.status()); });
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout");
  await expect(widget.getByRole("alert")).toContainText("This checkout link isn't valid");
  await expect(widget.getByTestId("retry")).toHaveCount(0);
  expect(orderAnswers).toEqual([401]);
  expect((await events(page)).find((e) => e.name === "error")?.detail.code).toBe("ErrorGrantInvalid");
  expectAsDeclared(await events(page));
  expect(problems).toEqual([]);
});

test("a `proxy` option where no dollr-proxy answers (a typo in its path): the payer reads that the checkout is not set up, the page hears ErrorMisconfigured, and the console names the option", async ({ page }) => {
  const problems = await watch(page);
  const errors = consoleErrors(page);
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: { currency: "USD" } })).json();
  await editShopHtml(page, renderCheckouts(`<dollr-checkout proxy="/api/dolr" grant="${grant}"></dollr-checkout>`));
  const orderAnswers = [];
  page.on("response", (r) => { if (r.url().endsWith("/v1/checkout")) orderAnswers.push(r.status()); });
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout");
  await expect(widget.getByRole("alert")).toContainText("This checkout is not set up correctly. Please contact the shop.");
  expect(orderAnswers).toEqual([404]);
  expect((await events(page)).find((e) => e.name === "error")?.detail.code).toBe("ErrorMisconfigured");
  expect(errors.filter((e) => e.startsWith("dollr-checkout:") && e.includes("check the `proxy` option"))).toHaveLength(1);
  expectAsDeclared(await events(page));
  expect(problems).toEqual([]);
});

test("a page whose Content-Security-Policy does not let it connect to the proxy: the payer reads that the checkout is not set up, the page hears ErrorMisconfigured, and the console names the origin and connect-src", async ({ page }) => {
  const problems = await watch(page);
  const errors = consoleErrors(page);
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: { currency: "USD" } })).json();
  // The shop's policy has `connect-src 'self'`; the first checkout's proxy is on another origin
  // (the same server by another name), the second's on the page's own.
  const elsewhere = `http://localhost:${PROXY_PORT}`;
  await editShopHtml(page, renderCheckouts(`
    <dollr-checkout proxy="${elsewhere}/api/dollr" grant="${grant}"></dollr-checkout>
    <dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout>`));
  await page.goto("/shop/");
  const [refused, allowed] = [page.locator("dollr-checkout").first(), page.locator("dollr-checkout").nth(1)];
  const notSetUp = "This checkout is not set up correctly. Please contact the shop.";
  await expect(refused.getByRole("alert")).toContainText(notSetUp);
  await expect(allowed.getByTestId("payment-form")).toBeVisible();
  const told = `dollr-checkout: the page's Content-Security-Policy refused to connect to ${elsewhere}; add it to the policy's connect-src`;
  const errorCodes = async () => (await events(page)).filter((e) => e.name === "error").map((e) => e.detail.code);
  expect(await errorCodes()).toEqual(["ErrorMisconfigured"]);
  expect(errors.filter((e) => e.startsWith("dollr-checkout:"))).toEqual([told]);
  // Trying again asks again, from the widget itself this time, and is told alike.
  await refused.getByTestId("retry").click();
  await expect.poll(errorCodes).toEqual(["ErrorMisconfigured", "ErrorMisconfigured"]);
  await expect(refused.getByRole("alert")).toContainText(notSetUp);
  expect(errors.filter((e) => e.startsWith("dollr-checkout:"))).toEqual([told, told]);
  const violation = `Content Security Policy: connect-src ${elsewhere}/api/dollr/v1/checkout`;
  // The page's policy refused those two requests and nothing else; the browser's own console
  // lines about them aside, nothing went wrong.
  expect(problems.filter((p) => p.startsWith("Content Security Policy:"))).toEqual([violation, violation]);
  expect(problems.filter((p) => !p.includes("Content Security Policy"))).toEqual([]);
  expectAsDeclared(await events(page));
});

test("a page whose policy only reports (Content-Security-Policy-Report-Only) a proxy it would refuse, where nothing answers: the payer is told of the network, not of the setup", async ({ page, request }) => {
  const { grant } = await demoOrder(request);
  const reportOnly = { "Content-Security-Policy-Report-Only": "connect-src 'self'" };
  const reported = [];
  await withCdnPage({ headers: reportOnly, proxy: `${await nowhere()}/api/dollr`, grant }, async (origin) => {
    await page.exposeFunction("reported", (line) => reported.push(line));
    await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => window.reported(`${e.disposition} ${e.effectiveDirective}`)));
    await page.goto(`${origin}/`);
    await expect.poll(() => heardCodes(page), { timeout: 20_000 }).toEqual(["ErrorNetwork"]);
    await expect(page.locator("dollr-checkout").getByRole("alert")).toContainText("Check your connection");
    // The page's policy did report the order's request, which went out all the same.
    expect(reported).toContain("report connect-src");
  });
});

test("the files the loader fetches carry their content hash (a CDN can cache them for good) and arrive compressed", async ({ page, request }) => {
  const loaderAnswer = await request.get("/cdn/dollr-checkout.js");
  // The proxy serves its static files as the README tells a CDN to: the loader is reused for
  // five minutes, then revalidated in the background; the hashed files are kept; pages are
  // revalidated on every use.
  const reuse = "public, max-age=300, stale-while-revalidate=604800";
  expect(loaderAnswer.headers()["cache-control"]).toBe(reuse);
  expect(loaderAnswer.headers()["access-control-allow-origin"]).toBe("*");
  expect(loaderAnswer.headers()["x-content-type-options"]).toBe("nosniff");
  const revalidated = await request.get("/cdn/dollr-checkout.js", {
    headers: { "If-Modified-Since": loaderAnswer.headers()["last-modified"] },
  });
  expect(revalidated.status()).toBe(304);
  expect(revalidated.headers()["cache-control"]).toBe(reuse);
  expect((await request.get("/shop/")).headers()["cache-control"]).toBe("no-cache");
  const loader = await loaderAnswer.text();
  const named = [...loader.matchAll(/"(dollr-checkout(?:-core|_bg)?\.([0-9a-f]{12})\.(js|wasm|css))"/g)];
  expect(named.map((m) => m[3]).sort()).toEqual(["css", "js", "wasm"]);
  for (const [, name, hash] of named) {
    const answer = await request.get(`/cdn/${name}`);
    expect(answer.headers()["cache-control"], name).toBe("public, max-age=31536000, immutable");
    // Public files a page on another origin (the CDN case) fetches with CORS.
    expect(answer.headers()["access-control-allow-origin"], name).toBe("*");
    // Run or applied only as the type each is sent as, which the shop below shows is right.
    expect(answer.headers()["x-content-type-options"], name).toBe("nosniff");
    const body = await answer.body();
    expect(createHash("sha256").update(body).digest("hex").slice(0, 12), name).toBe(hash);
  }
  // And those are what a page gets: the shop loads exactly them, and works.
  await openStaticShop(page);
  const fetched = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.startsWith("/cdn/")),
  );
  for (const [, name] of named) expect(fetched).toContain(`/cdn/${name}`);
  // The release build's precompressed copies: the wasm travels brotli-encoded, at under a third.
  const wasm = await page.evaluate(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
    return { encoded: entry.encodedBodySize, decoded: entry.decodedBodySize };
  });
  expect(wasm.encoded * 3).toBeLessThan(wasm.decoded);
  expect((await request.get("/cdn/dollr-checkout_bg.wasm")).status()).toBe(404);
});

test("a returning payer's browser reuses the loader and the files it fetches without asking the server", async ({ page }) => {
  await openStaticShop(page);
  const again = await page.context().newPage();
  await openStaticShop(again);
  const fetched = await again.evaluate(() =>
    performance.getEntriesByType("resource")
      .filter((e) => new URL(e.name).pathname.startsWith("/cdn/"))
      .map((e) => [new URL(e.name).pathname.replace(/\.[0-9a-f]{12}\./, ".HASH."), e.transferSize]),
  );
  expect([...new Set(fetched.map(([path]) => path))].sort()).toEqual([
    "/cdn/dollr-checkout-core.HASH.js",
    "/cdn/dollr-checkout.HASH.css",
    "/cdn/dollr-checkout.js",
    "/cdn/dollr-checkout_bg.HASH.wasm",
  ]);
  // A transfer size of 0: from the browser's cache, no request (not even a revalidation).
  for (const [path, size] of fetched) expect(size, path).toBe(0);
  await again.close();
});

test("preload hints named from the manifest: each file downloads once and the widget works under the strict CSP", async ({ page, request }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  const files = await manifest(request);
  // The README's hints, as a merchant's server writes them into its page's head.
  await editShopHtml(page, (html) => html.replace("</title>", `</title>${preloadHints(files, "/cdn/")}`));
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const { widget } = await openStaticShop(page);
  await expect(widget.getByLabel("Mobile money number")).toBeEditable();
  // A hint the loader could not use would show as a second download of the same file.
  for (const key of ["glue", "wasm", "stylesheet"]) {
    expect(requested.filter((path) => path === `/cdn/${files[key]}`), key).toHaveLength(1);
  }
  // Nothing for the merchant's console (a digest on the wasm's hint would be ignored, with a warning).
  expect(warnings.filter((text) => /preload|integrity/i.test(text))).toEqual([]);
  expect(problems).toEqual([]);
});

test("integrity: an altered wasm under the page's preload hint is still refused", async ({ page, request }) => {
  const files = await manifest(request);
  await editResponses(page, ["*/shop/", "*.wasm*"], (bytes, url) =>
    WASM_FILE.test(url)
      ? Buffer.concat([bytes, Buffer.from([0, 2, 1, 0x78])]) // a custom section: still a valid module
      : bytes.toString().replace("</title>", `</title>${preloadHints(files, "/cdn/")}`),
  );
  const errors = consoleErrors(page);
  await openStaticShopExpectingLoadFailed(page);
  expect(errors.some((text) => /integrity/i.test(text)), errors.join("\n")).toBe(true);
  await expect(page.locator("dollr-checkout").first().getByTestId("payment-form")).toHaveCount(0);
});

test("integrity: a page pins the loader's content-addressed copy with the manifest's digest, and the loader has the browser check what it fetches", async ({ page, request }) => {
  const problems = await watch(page);
  const files = await manifest(request);
  await editShopHtml(page, (html) =>
    html.replace('<script src="../cdn/dollr-checkout.js" defer>', `<script src="../cdn/${files.pinnedLoader}" integrity="${files.integrity.loader}" crossorigin="anonymous" defer>`),
  );
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  // The widget's stylesheet is checked too: its link in the shadow root carries the digest.
  expect(await widget.evaluate((el) => el.shadowRoot.querySelector("link[rel=stylesheet]").integrity)).toBe(files.integrity.stylesheet);
  expect(problems).toEqual([]);
});

// Each file's URL, also when the loader asks again with a query (`?retry=1`).
const FILES = [
  // A custom section appended: still a valid module, which would run if nothing checked it.
  ["wasm", WASM_FILE, (body) => Buffer.concat([body, Buffer.from([0, 2, 1, 0x78])])],
  // A statement appended: it would leave its mark on the page if the altered glue ran.
  ["glue", GLUE_FILE, (body) => Buffer.concat([body, Buffer.from("\nwindow.alteredGlueRan = true;\n")])],
];

for (const [what, pattern, tamper] of FILES) {
  for (const dropFirst of [false, true]) {
    const how = dropFirst ? "served after its first download was dropped" : "on the CDN";
    test(`integrity: an altered ${what} ${how} is refused and the page hears LoadFailed`, async ({ page }) => {
      // Dropped first: the loader asks again, and that second fetch must be checked too (an
      // import() of the glue after a failed checked fetch would fetch it again unchecked).
      let requests = 0;
      await page.route(pattern, async (route) => {
        requests += 1;
        if (dropFirst && requests === 1) return route.abort("connectionreset");
        const response = await route.fetch();
        await route.fulfill({ response, body: tamper(await response.body()) });
      });
      const errors = consoleErrors(page);
      await openStaticShopExpectingLoadFailed(page);
      expect(errors.some((text) => /integrity/i.test(text)), errors.join("\n")).toBe(true);
      await expect(page.locator("dollr-checkout").first().getByTestId("payment-form")).toHaveCount(0);
      expect(await page.evaluate(() => window.alteredGlueRan)).toBeUndefined();
      if (dropFirst) expect(requests).toBeGreaterThan(1);
    });
  }

  test(`the ${what} dropped twice is tried again: the widget loads and the page hears no error`, async ({ page }) => {
    // A payer's phone loses the connection for a few seconds while the checkout downloads: the
    // loader's first try and its first retry fail, the second retry (3 s later) gets the file.
    let requests = 0;
    await page.route(pattern, (route) => {
      requests += 1;
      return requests <= 2 ? route.abort("connectionreset") : route.continue();
    });
    const { widget } = await openStaticShop(page);
    await widget.getByTestId("phone").fill("088 123 1111");
    await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
    expect(requests).toBe(3);
    expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  });
}

// Each file altered once on its way, as a faulty CDN edge might, and kept by the browser's cache
// (the files are served `immutable`): the loader's retry must not take the cached copy again.
const ALTERED_ONCE = [
  ["glue", "*/cdn/dollr-checkout-core.*.js*", (body) => Buffer.concat([body, Buffer.from("\nwindow.alteredGlueRan = true;\n")])],
  ["wasm", "*/cdn/dollr-checkout_bg.*.wasm*", (body) => Buffer.concat([body, Buffer.from([0, 2, 1, 0x78])])],
  ["stylesheet", "*/cdn/dollr-checkout.*.css*", (body) => Buffer.concat([body, Buffer.from("\nbutton{display:none!important}")])],
];
for (const [what, pattern, tamper] of ALTERED_ONCE) {
  test(`a ${what} altered once and cached by the browser is fetched afresh: the widget loads, styled, and the page hears no error`, async ({ page }) => {
    // DevTools' Fetch domain, unlike page.route, leaves the browser's cache on, as a payer has it.
    const fetched = [];
    await editResponses(page, [pattern], (bytes, url) => {
      fetched.push(url);
      return fetched.length === 1 ? tamper(bytes) : bytes;
    });
    const { widget } = await openStaticShop(page);
    await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY);
    await widget.getByTestId("phone").fill("088 123 1111");
    await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
    expect(fetched.length, fetched.join("\n")).toBe(2);
    expect(await page.evaluate(() => window.alteredGlueRan)).toBeUndefined();
    expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  });
}

// The widget's stylesheet, also when the loader asks again with a query (`?retry=1`).
const STYLESHEET = /\/cdn\/dollr-checkout\.[0-9a-f]{12}\.css(\?|$)/;

/** The colour of the widget's Pay button: the shop's primary colour when the stylesheet applies. */
function payColour(widget) {
  return widget.getByTestId("pay").evaluate((button) => getComputedStyle(button).backgroundColor);
}

test("the shop's brand colour marks the chosen payment method and currency, as it fills Pay, in each theme", async ({ page }) => {
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toBeVisible();
  const mark = (el) => getComputedStyle(el).accentColor;
  const radios = widget.locator("input[type=radio]");
  expect(await radios.count()).toBeGreaterThanOrEqual(4); // two methods, two currencies
  expect(await radios.evaluateAll((all) => all.map((el) => getComputedStyle(el).accentColor))).toEqual(
    Array(await radios.count()).fill(SHOP_PRIMARY),
  );
  const form = await widget.getByTestId("payment-form").elementHandle();
  await widget.evaluate((el) => el.setAttribute("theme", "dark"));
  await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY_DARK);
  expect(await widget.getByTestId("kind-card").evaluate(mark)).toBe(SHOP_PRIMARY_DARK);
  // Restyled in place: the same form, with what the payer typed and its quote.
  expect(await form.evaluate((el) => el.isConnected)).toBe(true);
  await expect(widget.getByTestId("phone")).toHaveValue("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
});

test("tokens the page sets on an ancestor (its :root) theme the checkout in each palette; the element's own win over them", async ({ page }) => {
  const { widget } = await openStaticShop(page);
  const look = () => widget.getByTestId("dollr-checkout").evaluate((box) => {
    const s = getComputedStyle(box);
    return { border: s.borderTopColor, padding: s.paddingTop, pay: getComputedStyle(box.querySelector("[data-testid=pay]")).backgroundColor };
  });
  const defaults = await look();
  expect(defaults).toEqual({ border: "rgb(213, 219, 225)", padding: "16px", pay: SHOP_PRIMARY });
  // The shop's :root, as a page's own stylesheet would set it (the shop sets its primary colour
  // on the element, which wins).
  await page.evaluate(() => {
    const root = document.documentElement.style;
    root.setProperty("--dollr-color-border", "rgb(1, 2, 3)");
    root.setProperty("--dollr-spacing", "24px");
    root.setProperty("--dollr-color-primary", "rgb(4, 5, 6)");
  });
  const themed = { border: "rgb(1, 2, 3)", padding: "24px", pay: SHOP_PRIMARY };
  await expect.poll(look).toEqual(themed);
  await widget.evaluate((el) => el.setAttribute("theme", "dark"));
  await expect.poll(look).toEqual({ ...themed, pay: SHOP_PRIMARY_DARK });
  // A token the page takes back leaves the palette's own.
  await page.evaluate(() => document.documentElement.style.removeProperty("--dollr-color-border"));
  await expect.poll(look).toEqual({ border: "rgb(54, 64, 74)", padding: "24px", pay: SHOP_PRIMARY_DARK });
});

test("a colour token that is not a colour leaves the palette's colour in its place, is named in the console, and is taken back once the theme or the system's scheme makes it one", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  // The shop's stylesheet with a digit missing from its light primary colour.
  await editResponses(page, ["*/shop/shop.css"], (bytes) => bytes.toString().replace("--dollr-color-primary: #8a3b12;", "--dollr-color-primary: #8a3b1;"));
  const { widget } = await openStaticShop(page);
  const pay = () => widget.getByTestId("pay").evaluate((button) => {
    const s = getComputedStyle(button);
    return { background: s.backgroundColor, text: s.color, corner: s.borderTopLeftRadius };
  });
  // The default primary colour, from the first frame the checkout is painted in; the shop's other
  // tokens (its text colour on Pay, its radius) still apply.
  await expect.poll(pay).toEqual({ background: "rgb(11, 110, 79)", text: "rgb(255, 255, 255)", corner: "4px" });
  const named = (w) => w.includes("--dollr-color-primary: #8a3b1");
  expect(warnings.filter(named)).toHaveLength(1);
  expect(warnings.filter((w) => w.includes("--dollr-color-primary-text"))).toEqual([]);
  // The shop's dark palette has a good primary colour: it applies.
  await widget.evaluate((el) => el.setAttribute("theme", "dark"));
  await expect.poll(pay).toEqual({ background: SHOP_PRIMARY_DARK, text: "rgb(26, 15, 5)", corner: "4px" });
  await widget.evaluate((el) => el.removeAttribute("theme"));
  await expect.poll(pay).toEqual({ background: "rgb(11, 110, 79)", text: "rgb(255, 255, 255)", corner: "4px" });
  // Under theme="auto" the shop's palettes follow the system's scheme: the light one's bad colour
  // still set aside, then the dark one's good colour applying when the system turns dark.
  await widget.evaluate((el) => el.setAttribute("theme", "auto"));
  expect(await pay()).toEqual({ background: "rgb(11, 110, 79)", text: "rgb(255, 255, 255)", corner: "4px" });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(pay).toEqual({ background: SHOP_PRIMARY_DARK, text: "rgb(26, 15, 5)", corner: "4px" });
  expect(warnings.filter(named)).toHaveLength(2);
  expect(problems).toEqual([]);
});

test("a size, font or shadow token the browser cannot use (a radius missing its unit, two spacings) leaves the default in its place and is named in the console", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  await editResponses(page, ["*/shop/shop.css"], (bytes) => `${bytes.toString().replace("--dollr-radius: 4px;", "--dollr-radius: 4;")}
dollr-checkout { --dollr-spacing: 24px 12px; --dollr-font-size: 14; --dollr-shadow: 2px; --dollr-max-width: 480px; }
`);
  const { widget } = await openStaticShop(page);
  const look = () => widget.evaluate((el) => {
    const frame = getComputedStyle(el.shadowRoot.querySelector(".dollr-checkout"));
    const pay = getComputedStyle(el.shadowRoot.querySelector("[data-testid=pay]"));
    const form = getComputedStyle(el.shadowRoot.querySelector(".dollr-form"));
    return { corner: pay.borderTopLeftRadius, padding: frame.padding, gap: form.marginTop, size: frame.fontSize, shadow: frame.boxShadow, width: frame.maxWidth };
  });
  // The defaults: a 10px corner, 16px spacing, the payer's own text size, no shadow; the good
  // token (the width) still applies.
  await expect.poll(look).toEqual({ corner: "10px", padding: "16px", gap: "16px", size: "16px", shadow: "none", width: "480px" });
  const named = warnings.filter((w) => w.includes("cannot use"));
  expect(named).toHaveLength(1);
  for (const token of ["--dollr-radius: 4", "--dollr-spacing: 24px 12px", "--dollr-font-size: 14", "--dollr-shadow: 2px"]) expect(named[0]).toContain(token);
  expect(named[0]).not.toContain("--dollr-max-width");
  expect(named[0]).not.toContain("--dollr-color");
  // A spacing of 0 is a length: it applies, as does a good radius, and neither is named again.
  await widget.evaluate((el) => {
    el.style.setProperty("--dollr-spacing", "0");
    el.style.setProperty("--dollr-radius", "8px");
    el.setAttribute("theme", "light");
  });
  await expect.poll(look).toEqual({ corner: "8px", padding: "0px", gap: "0px", size: "16px", shadow: "none", width: "480px" });
  const since = warnings.filter((w) => w.includes("cannot use")).slice(1);
  expect(since).toHaveLength(1);
  expect(since[0]).toContain("--dollr-font-size: 14");
  expect(since[0]).not.toContain("--dollr-spacing");
  expect(since[0]).not.toContain("--dollr-radius");
  expect(problems).toEqual([]);
});

test("a checkout mounted with the JS API has its colours checked again when its element's theme attribute changes, until it is unmounted", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  // The shop's palettes for an element of its own: the light primary colour with a digit
  // missing, a good dark one, and a "broken" theme with a bad text colour.
  await editResponses(page, ["*/shop/shop.css"], (bytes) => `${bytes}
#api { --dollr-color-primary: #8a3b1; --dollr-color-primary-text: #ffffff; }
#api[theme="dark"] { --dollr-color-primary: #f2a65a; --dollr-color-primary-text: #1a0f05; }
#api[theme="broken"] { --dollr-color-text: #12345; }
`);
  await openStaticShop(page);
  const { grant } = await (await page.request.post("/api/dollr/dev/checkout", { data: {} })).json();
  await page.evaluate((grant) => {
    const host = Object.assign(document.createElement("div"), { id: "api" });
    document.querySelector("main").append(host);
    window.__handle = window.DollrCheckout.mount(host, { proxy: "/api/dollr", grant });
  }, grant);
  const api = page.locator("#api");
  const pay = () => api.getByTestId("pay").evaluate((button) => getComputedStyle(button).backgroundColor);
  await expect(api.getByTestId("payment-form")).toBeVisible();
  await expect.poll(pay).toBe("rgb(11, 110, 79)");
  expect(warnings.filter((w) => w.includes("--dollr-color-primary: #8a3b1"))).toHaveLength(1);
  // Its dark palette's good colour applies once the page switches the element's theme.
  await api.evaluate((el) => el.setAttribute("theme", "dark"));
  await expect.poll(pay).toBe(SHOP_PRIMARY_DARK);
  await api.evaluate((el) => el.removeAttribute("theme"));
  await expect.poll(pay).toBe("rgb(11, 110, 79)");
  // Unmounted, the element is no longer watched: a theme with another bad colour is not named.
  await page.evaluate(() => window.__handle.unmount());
  await api.evaluate((el) => el.setAttribute("theme", "broken"));
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  expect(warnings.filter((w) => w.includes("--dollr-color-text"))).toEqual([]);
  expect(problems).toEqual([]);
});

// Regression: the tokens were checked again only when the element's own theme attribute or the
// system's scheme changed, so a page switching palettes by a class on its root kept a colour set
// aside that its new palette made good, and a bad colour in that palette was dropped unnamed.
/** Pay's background and the checkout's text colour in `widget`, as computed. */
function payAndText(widget) {
  return widget.evaluate((el) => ({
    pay: getComputedStyle(el.shadowRoot.querySelector("[data-testid=pay]")).backgroundColor,
    text: getComputedStyle(el.shadowRoot.querySelector(".dollr-checkout")).color,
  }));
}
/** The same with the widget's own light palette: the shop's primary colour set aside. */
const WIDGET_LIGHT = { pay: "rgb(11, 110, 79)", text: "rgb(27, 31, 36)" };

test("a page switching its palette by a class or data attribute on an ancestor has the checkout's tokens checked again", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  // The light primary colour with a digit missing; a night palette on the page's root with a
  // good one; a broken palette on the body with a bad text colour.
  await editResponses(page, ["*/shop/shop.css"], (bytes) => `${bytes.toString().replace("--dollr-color-primary: #8a3b12;", "--dollr-color-primary: #8a3b1;")}
html.night dollr-checkout { --dollr-color-primary: #225588; }
body[data-palette="broken"] dollr-checkout { --dollr-color-text: #12345; }
`);
  const { widget } = await openStaticShop(page);
  const look = () => payAndText(widget);
  await expect.poll(look).toEqual(WIDGET_LIGHT);
  // The page's root turns to its night palette: its good primary colour applies.
  await page.evaluate(() => document.documentElement.classList.add("night"));
  await expect.poll(look).toEqual({ ...WIDGET_LIGHT, pay: "rgb(34, 85, 136)" });
  await page.evaluate(() => document.documentElement.classList.remove("night"));
  await expect.poll(look).toEqual(WIDGET_LIGHT);
  // The body's broken palette: its text colour is set aside, the default's kept, and named.
  await page.evaluate(() => { document.body.dataset.palette = "broken"; });
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-text: #12345")).length).toBe(1);
  expect(await look()).toEqual(WIDGET_LIGHT);
  // The light palette's bad primary was named as it came back from the night, and with the text.
  expect(warnings.filter((w) => w.includes("--dollr-color-primary: #8a3b1"))).toHaveLength(3);
  expect(problems).toEqual([]);
});

test("a page's stylesheet added, switched, turned off, edited or removed later has the checkout's tokens checked again", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  // The light primary colour with a digit missing, as above. The page allows inline styles too,
  // for a palette a script writes; a night stylesheet and a broken one come as `shop.css?night`
  // and `shop.css?broken`.
  const sheets = {
    night: "dollr-checkout { --dollr-color-primary: #225588; }",
    broken: "dollr-checkout { --dollr-color-text: #12345; }",
  };
  await editResponses(page, ["*/shop/", "*/shop/shop.css*"], (bytes, url) => {
    const text = bytes.toString();
    if (!url.includes("shop.css")) return text.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    const query = new URL(url).search.slice(1);
    return query ? sheets[query] : text.replace("--dollr-color-primary: #8a3b12;", "--dollr-color-primary: #8a3b1;");
  });
  const { widget } = await openStaticShop(page);
  const look = () => payAndText(widget);
  const night = { ...WIDGET_LIGHT, pay: "rgb(34, 85, 136)" };
  await expect.poll(look).toEqual(WIDGET_LIGHT);
  // A theme switcher's stylesheet link: added, pointed at another palette and back, turned off
  // and on, removed.
  await page.evaluate(() => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "shop.css?night", id: "palette" });
    document.head.append(link);
  });
  await expect.poll(look).toEqual(night);
  await page.evaluate(() => { document.getElementById("palette").href = "shop.css?broken"; });
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-text: #12345")).length).toBe(1);
  expect(await look()).toEqual(WIDGET_LIGHT);
  await page.evaluate(() => { document.getElementById("palette").href = "shop.css?night"; });
  await expect.poll(look).toEqual(night);
  await page.evaluate(() => { document.getElementById("palette").disabled = true; });
  await expect.poll(look).toEqual(WIDGET_LIGHT);
  await page.evaluate(() => { document.getElementById("palette").disabled = false; });
  await expect.poll(look).toEqual(night);
  await page.evaluate(() => document.getElementById("palette").remove());
  await expect.poll(look).toEqual(WIDGET_LIGHT);
  // A palette a script writes into a <style>, then rewrites with a bad colour, then removes.
  await page.evaluate(() => {
    const style = Object.assign(document.createElement("style"), { id: "written", textContent: "dollr-checkout { --dollr-color-primary: #225588; }" });
    document.head.append(style);
  });
  await expect.poll(look).toEqual(night);
  await page.evaluate(() => { document.getElementById("written").textContent = "dollr-checkout { --dollr-color-primary: #22558; }"; });
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-primary: #22558")).length).toBe(1);
  expect(await look()).toEqual(WIDGET_LIGHT);
  await page.evaluate(() => document.getElementById("written").remove());
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-primary: #8a3b1")).length).toBeGreaterThan(1);
  expect(await look()).toEqual(WIDGET_LIGHT);
  expect(problems).toEqual([]);
});

test("a checkout moved into a dialog's shadow root keeps its form and has its tokens checked there, and again as the dialog or the page around it switches its palette", async ({ page }) => {
  const problems = await watch(page);
  const warnings = consoleMessages(page, "warning");
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY);
  // A dialog component whose panel sets a primary colour with a digit missing (through the
  // CSSOM: the page's policy refuses style attributes).
  await page.evaluate(() => {
    const dialog = document.body.appendChild(document.createElement("div"));
    dialog.id = "dialog";
    const panel = dialog.attachShadow({ mode: "open" }).appendChild(document.createElement("div"));
    panel.style.setProperty("--dollr-color-primary", "#22558");
    panel.append(document.querySelector("dollr-checkout"));
  });
  const moved = page.locator("#dialog dollr-checkout");
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-primary: #22558")).length).toBe(1);
  // The bad colour set aside: Pay keeps a background (the widget's default), and what the payer
  // typed is still there.
  expect(await payColour(moved)).toBe(WIDGET_LIGHT.pay);
  await expect(moved.getByTestId("phone")).toHaveValue("088 123 1111");
  // The dialog's panel turns to a good colour: checked in the dialog's root, where it now lives.
  await page.evaluate(() => document.getElementById("dialog").shadowRoot.firstChild.style.setProperty("--dollr-color-primary", "#225588"));
  await expect.poll(() => payColour(moved)).toBe("rgb(34, 85, 136)");
  // The page switches its palette on its own root, around the dialog: checked too. (The shop's
  // stylesheet themes `dollr-checkout` elements of the page, so in the dialog, with the panel's
  // colour gone, the widget's own colour applies.)
  await page.evaluate(() => document.getElementById("dialog").shadowRoot.firstChild.style.removeProperty("--dollr-color-primary"));
  await expect.poll(() => payAndText(moved)).toEqual(WIDGET_LIGHT);
  await page.evaluate(() => document.documentElement.style.setProperty("--dollr-color-text", "#12345"));
  await expect.poll(() => warnings.filter((w) => w.includes("--dollr-color-text: #12345")).length).toBe(1);
  expect(await payAndText(moved)).toEqual(WIDGET_LIGHT);
  await page.evaluate(() => document.documentElement.style.setProperty("--dollr-color-text", "#224466"));
  await expect.poll(() => payAndText(moved)).toEqual({ ...WIDGET_LIGHT, text: "rgb(34, 68, 102)" });
  expect(problems).toEqual([]);
});

test("a page that shrinks its root font size (the 62.5% rule) lays the checkout out as any other: the same width, the same text size", async ({ page }) => {
  const { widget } = await openStaticShop(page);
  // The shop's column in pixels, so that only the checkout could follow the root's size.
  await page.evaluate(() => (document.querySelector(".shop").style.maxWidth = "640px"));
  const box = widget.getByTestId("dollr-checkout");
  const layout = () => box.evaluate((el) => [el.getBoundingClientRect().width, getComputedStyle(el).fontSize]);
  const before = await layout();
  expect(before).toEqual([512, "16px"]);
  await page.evaluate(() => (document.documentElement.style.fontSize = "62.5%"));
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("10px");
  expect(await layout()).toEqual(before);
});

/** The mean lightness (0 black to 255 white) of what `locator` shows, from a screenshot read
 *  back through a canvas in a blank page. */
async function lightness(page, locator) {
  const png = (await locator.screenshot()).toString("base64");
  const blank = await page.context().newPage();
  try {
    return await blank.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [image.width, image.height];
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
      return sum / (pixels.length / 4);
    }, png);
  } finally {
    await blank.close();
  }
}

test("the browser's own controls follow the widget's theme, not the page's: no white radio in the dark theme, no dark one in the light", async ({ page }) => {
  const { widget } = await openStaticShop(page);
  const unchosen = widget.getByTestId("kind-card");
  await expect(unchosen).not.toBeChecked();
  // A shop whose own page is dark, with the widget in its light theme.
  await page.evaluate(() => (document.documentElement.style.colorScheme = "dark"));
  expect(await lightness(page, unchosen)).toBeGreaterThan(180);
  await widget.evaluate((el) => el.setAttribute("theme", "dark"));
  await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY_DARK);
  expect(await lightness(page, unchosen)).toBeLessThan(90);
});

/** What came after `?` in each stylesheet request `page` made (`""` for the plain URL). */
function stylesheetQueries(page) {
  const queries = [];
  page.on("request", (request) => {
    if (STYLESHEET.test(request.url())) queries.push(new URL(request.url()).search);
  });
  return queries;
}

for (const dropFirst of [false, true]) {
  const how = dropFirst ? "served after its first download was dropped" : "on the CDN";
  test(`integrity: an altered stylesheet ${how} is refused, so it cannot hide or restyle the widget`, async ({ page }) => {
    // Dropped first: every request for the plain URL fails, every retry gets altered bytes.
    await page.route(STYLESHEET, async (route) => {
      if (dropFirst && !route.request().url().includes("?")) return route.abort("connectionreset");
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}\nbutton{display:none!important}` });
    });
    const queries = stylesheetQueries(page);
    const errors = consoleErrors(page);
    const { widget } = await openStaticShop(page);
    await expect(widget.getByTestId("pay")).toBeVisible();
    expect(await payColour(widget)).not.toBe(SHOP_PRIMARY);
    // Dropped first: both retries were refused, and the widget's own link took the first,
    // dropped, preload; the console names no digest then, only the loader's report.
    const refused = dropFirst ? /could not load its stylesheet/ : /integrity/i;
    expect(errors.some((text) => refused.test(text)), errors.join("\n")).toBe(true);
    if (dropFirst) expect(queries).toEqual(expect.arrayContaining(["?retry=1", "?retry=2"]));
  });
}

test("the stylesheet dropped twice is tried again: the widget is styled and the page hears no error", async ({ page }) => {
  // The browser answers a link for a URL whose preload failed with that failure, so the widget
  // would stay unstyled for the whole visit if nothing asked again under another URL. The plain
  // URL and the first retry fail; the second retry arrives.
  await page.route(STYLESHEET, (route) => {
    const url = route.request().url();
    return url.endsWith("?retry=2") ? route.continue() : route.abort("connectionreset");
  });
  const { widget } = await openStaticShop(page);
  await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY);
  const linked = await widget.evaluate((el) => el.shadowRoot.querySelector("link[rel=stylesheet]").href);
  expect(linked.endsWith("?retry=2")).toBe(true);
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
});

// A connection that stops sending fails no request by itself: each file's request not answered
// within 15 s is given up and asked for again, and the payer gets the form.
for (const [what, pattern] of [["wasm", WASM_FILE], ["glue", GLUE_FILE], ["stylesheet", STYLESHEET]]) {
  test(`the ${what}'s first request left unanswered: after 15 s the loader asks again, and the form comes, styled`, async ({ page }) => {
    await page.clock.install();
    const asked = [];
    await page.route(pattern, (route) => {
      const query = new URL(route.request().url()).search;
      asked.push(query);
      if (query) return route.continue(); // the plain URL's request is never answered
    });
    const errors = consoleErrors(page);
    // The order's answer is in before the clock moves on: its request has its own 15 s deadline.
    const order = page.waitForResponse((response) => response.url().endsWith("/v1/checkout"));
    await page.goto("/shop/");
    await (await order).finished();
    await page.waitForTimeout(200); // the loader reads the answer's body in the page's next tasks
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    await page.clock.runFor(14_000);
    expect(asked.filter(Boolean)).toEqual([]);
    await page.clock.runFor(2_000); // the deadline, then the wait before asking again
    const widget = page.locator("dollr-checkout").first();
    await expect(widget.getByTestId("payment-form")).toBeVisible();
    expect(asked.filter(Boolean)).toEqual(["?retry=1"]);
    expect(await payColour(widget)).toBe(SHOP_PRIMARY);
    expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test("the wasm's server never answering: after three tries the page hears LoadFailed", async ({ page }) => {
  await page.clock.install();
  let asked = 0;
  await page.route(WASM_FILE, () => { asked += 1; }); // never answered
  const errors = consoleErrors(page);
  await page.goto("/shop/");
  await expect.poll(() => asked).toBe(1);
  // 15 s for each try, 1 s and 3 s between them.
  for (const [ms, tries] of [[16_000, 2], [18_000, 3]]) {
    await page.clock.runFor(ms);
    await expect.poll(() => asked).toBe(tries);
  }
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  await page.clock.runFor(15_000);
  await expect.poll(async () => (await events(page)).find((e) => e.name === "error")?.detail).toEqual({
    code: "LoadFailed",
    message: "The checkout could not be loaded.",
  });
  expect(errors.some((text) => text.includes("could not load"))).toBe(true);
  await expect(page.getByRole("alert")).toHaveText("Our checkout couldn't load. Please check your connection and reload the page.");
});

/** A server on a loopback port of its own that answers one request with `body` as the wasm a
 *  part at a time, as a slow or failing network delivers it: `send(end)` writes the bytes up to
 *  `end`, and the response ends with the last. `answered` resolves once the request is in. */
async function wasmInParts(body) {
  let response;
  let sent = 0;
  let answer;
  const answered = new Promise((resolve) => (answer = resolve));
  const server = createServer((_, res) => {
    res.writeHead(200, { "Content-Type": "application/wasm", "Access-Control-Allow-Origin": "*" });
    response = res;
    answer();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/wasm`,
    size: body.length,
    answered,
    send(end) {
      response.write(body.subarray(sent, end));
      sent = end;
      if (sent >= body.length) response.end();
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Opens the static shop with Playwright's clock installed and the wasm's plain URL answered by
 *  `wasmInParts` (its retries by the proxy); the queries the wasm was asked for land in `asked`.
 *  Resolves once that answer's headers are out and the order's answer is in: the order request
 *  has its own 15 s deadline, which moving the clock must not reach. */
async function openShopWithWasmInParts(page, request, asked) {
  const files = await manifest(request);
  const wasm = await wasmInParts(await (await request.get(`/cdn/${files.wasm}`)).body());
  await page.clock.install();
  await page.route(WASM_FILE, (route) => {
    const query = new URL(route.request().url()).search;
    asked.push(query);
    return query ? route.continue() : route.continue({ url: wasm.url });
  });
  const order = page.waitForResponse((response) => response.url().endsWith("/v1/checkout"));
  await page.goto("/shop/");
  await (await order).finished();
  await wasm.answered;
  await page.waitForTimeout(300); // the page reads the headers and the order's body
  return wasm;
}

/** Sends the wasm's bytes up to `end`, gives the page time to read them, then moves its clock by `ms`. */
async function sendThenWait(page, wasm, end, ms) {
  wasm.send(end);
  await page.waitForTimeout(300);
  await page.clock.runFor(ms);
}

test("the wasm arriving slowly, in four parts 10 s apart (30 s in all): its download is not cut, and the form comes", async ({ page, request }) => {
  // A payer on a slow network: the whole download takes far longer than the 15 s a server may
  // leave a request unanswered, but bytes keep coming.
  const asked = [];
  const errors = consoleErrors(page);
  const wasm = await openShopWithWasmInParts(page, request, asked);
  for (const part of [1, 2, 3]) await sendThenWait(page, wasm, Math.floor((wasm.size * part) / 4), 10_000);
  wasm.send(wasm.size);
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  expect(asked).toEqual([""]);
  expect(await payColour(widget)).toBe(SHOP_PRIMARY);
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  expect(errors).toEqual([]);
  wasm.close();
});

test("the wasm's download stopping part-way: 15 s after its last bytes the loader asks again, and the form comes", async ({ page, request }) => {
  const asked = [];
  const errors = consoleErrors(page);
  const wasm = await openShopWithWasmInParts(page, request, asked);
  await sendThenWait(page, wasm, Math.floor(wasm.size / 3), 10_000);
  // 24 s since the request started, but 14 s since its last bytes: still waiting.
  await sendThenWait(page, wasm, Math.floor((wasm.size * 2) / 3), 14_000);
  await page.waitForTimeout(500); // a request asked for again would be in by now
  expect(asked).toEqual([""]);
  await page.clock.runFor(2_000); // the deadline, then the wait before asking again
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  expect(asked).toEqual(["", "?retry=1"]);
  expect(await payColour(widget)).toBe(SHOP_PRIMARY);
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  expect(errors).toEqual([]);
  wasm.close();
});

// A shop served over plain http from a name of its own (resolved to loopback) is not a secure
// context: the page has no WebCrypto, so the browser checks the wasm's digest itself.
test.describe("a shop page over plain http", () => {
  test.use({ baseURL: SHOP_OVER_HTTP });

  test("takes a payment, with the wasm checked by the browser", async ({ page }) => {
    const problems = await watch(page);
    const { widget } = await openStaticShop(page);
    expect(await page.evaluate(() => [window.isSecureContext, Boolean(window.crypto.subtle)])).toEqual([false, false]);
    await widget.getByTestId("phone").fill("088 123 1111");
    await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
    await widget.getByTestId("pay").click();
    await expect(widget.getByTestId("success")).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("refuses an altered wasm, and the page hears LoadFailed", async ({ page }) => {
    await page.route(WASM_FILE, async (route) => {
      // Fetched from the proxy's loopback address: the name is the browser's alone.
      const response = await route.fetch({ url: route.request().url().replace(SHOP_OVER_HTTP, `http://127.0.0.1:${PROXY_PORT}`) });
      await route.fulfill({ response, body: Buffer.concat([await response.body(), Buffer.from([0, 2, 1, 0x78])]) });
    });
    const errors = consoleErrors(page);
    await openStaticShopExpectingLoadFailed(page);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(errors.some((text) => /integrity/i.test(text)), errors.join("\n")).toBe(true);
    await expect(page.locator("dollr-checkout").first().getByTestId("payment-form")).toHaveCount(0);
  });
});

test("a page whose policy does not allow WebAssembly (no 'wasm-unsafe-eval'): the wasm is downloaded once, the page hears LoadFailed at once, and the console names what to add", async ({ page }) => {
  await editShopHtml(page, (html) => html.replace("script-src 'self' 'wasm-unsafe-eval'", "script-src 'self'"));
  const asked = [];
  page.on("request", (r) => { if (WASM_FILE.test(r.url())) asked.push(r.url()); });
  const errors = consoleErrors(page);
  await openStaticShopExpectingLoadFailed(page);
  // Not asked for again (after 1 s, then 3 s): the bytes arrived and matched their digest, and
  // the page's policy would refuse them again.
  expect(asked).toHaveLength(1);
  await expect.poll(() => errors.filter((e) => e.startsWith("dollr-checkout:"))).toEqual([
    expect.stringMatching(new RegExp(`^${WASM_REFUSED.replace(/[()]/g, "\\$&")} CompileError: `)),
  ]);
  // A checkout added later is told at once, without asking for the wasm again.
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  await expect.poll(async () => (await events(page)).filter((e) => e.name === "error" && e.detail.code === "LoadFailed")).toHaveLength(2);
  expect(asked).toHaveLength(1);
});

test("a browser with WebAssembly turned off (Safari's Lockdown Mode): nothing that cannot run is downloaded, each checkout hears LoadFailed at once, and the console says why", async ({ page }) => {
  const problems = await watch(page);
  await page.addInitScript(() => { delete window.WebAssembly; });
  const asked = [];
  page.on("request", (r) => { if (/\/cdn\/dollr-checkout(-core|_bg)\./.test(r.url())) asked.push(r.url()); });
  const errors = consoleErrors(page);
  await openStaticShopExpectingLoadFailed(page);
  expect(asked).toEqual([]);
  expect(errors.filter((e) => e.startsWith("dollr-checkout: the checkout cannot run here") && e.includes("WebAssembly is turned off"))).toHaveLength(1);
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  await expect.poll(async () => (await events(page)).filter((e) => e.name === "error" && e.detail.code === "LoadFailed")).toHaveLength(2);
  expect(asked).toEqual([]);
  expect(problems).toEqual([]);
});

test("the wasm failing to download three times: the page hears LoadFailed, and a later checkout loads", async ({ page }) => {
  // A payer's network drops the wasm, and each of the loader's two retries (nothing the widget
  // can draw without it), then recovers.
  let offline = true;
  let dropped = 0;
  await page.route(WASM_FILE, (route) => {
    if (offline) {
      dropped += 1;
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  const errors = consoleErrors(page);
  await openStaticShopExpectingLoadFailed(page);
  expect(errors.some((text) => text.includes("could not load"))).toBe(true);
  expect(dropped).toBe(3);
  // The outline drawn while it loaded is gone: nothing suggests a checkout is still coming, and
  // the shop says so in its own words, as the README shows.
  await expect(page.locator("dollr-checkout").first().locator(".dollr-skeleton")).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveText("Our checkout couldn't load. Please check your connection and reload the page.");
  // The loader forgets the failure: the shop adding another checkout gets a working widget.
  offline = false;
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  await expect(page.locator("dollr-checkout").nth(1).getByTestId("payment-form")).toBeVisible();
});

test("while the files arrive, the element shows the form's outline, which the form replaces", async ({ page }) => {
  const problems = await watch(page);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(WASM_FILE, async (route) => {
    await held; // a slow network: the wasm is still on its way
    await route.continue();
  });
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout").first();
  const outline = widget.locator(".dollr-skeleton");
  await expect(outline).toBeVisible();
  // No words to translate or announce: hidden from assistive technology, the page keeps room.
  expect(await widget.evaluate((el) => el.shadowRoot.querySelector(".dollr-skeleton").closest("[aria-hidden=true]") !== null)).toBe(true);
  expect(await outline.textContent()).toBe("");
  expect(await widget.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(400);
  // On a right-to-left page its bars still start on the left, where the form's text will.
  await page.evaluate(() => (document.documentElement.dir = "rtl"));
  const [left, right] = await outline.evaluate((el) => {
    const [box, bar] = [el.getBoundingClientRect(), el.firstElementChild.getBoundingClientRect()];
    return [bar.left - box.left, box.right - bar.right];
  });
  expect(left).toBeLessThan(right);
  await page.evaluate(() => document.documentElement.removeAttribute("dir"));
  // A checkout unmounted before it loaded takes its outline with it; one unmounted before the
  // outline was due (the loader waits 400 ms for the widget first) leaves no timer to draw it.
  expect(await page.evaluate(async () => {
    const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const box = document.body.appendChild(document.createElement("div"));
    const quick = document.body.appendChild(document.createElement("div"));
    const handle = window.DollrCheckout.mount(box, { proxy: "/api/dollr", grant: "not-yet" });
    const quickHandle = window.DollrCheckout.mount(quick, { proxy: "/api/dollr", grant: "not-yet" });
    const atOnce = box.shadowRoot?.childElementCount ?? 0;
    quickHandle.unmount();
    await later(700);
    const drawn = box.shadowRoot.childElementCount;
    handle.unmount();
    const result = { atOnce, drawn, left: box.shadowRoot.childElementCount, quick: quick.shadowRoot?.childElementCount ?? 0 };
    box.remove();
    quick.remove();
    return result;
  })).toEqual({ atOnce: 0, drawn: 1, left: 0, quick: 0 });
  release();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  await expect(outline).toHaveCount(0);
  expect(await widget.evaluate((el) => el.shadowRoot.querySelectorAll("link[rel=stylesheet]").length)).toBe(1);
  expect(problems).toEqual([]);
});

test("the outline takes the stylesheet's retry when its first download was dropped", async ({ page }) => {
  // Without the stylesheet the outline's bars have no size: the payer would see an empty box.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(WASM_FILE, async (route) => {
    await held;
    await route.continue();
  });
  await page.route(STYLESHEET, (route) => (route.request().url().includes("?") ? route.continue() : route.abort("connectionreset")));
  await page.goto("/shop/");
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.locator(".dollr-skeleton")).toBeVisible();
  expect(await widget.evaluate((el) => el.shadowRoot.querySelector(".dollr-skeleton").getBoundingClientRect().height)).toBeGreaterThan(400);
  release();
  await expect.poll(() => payColour(widget)).toBe(SHOP_PRIMARY);
  await expect(widget.locator(".dollr-skeleton")).toHaveCount(0);
});

test("a browser without modulepreload (Safari before 17) imports the glue itself and gets a working widget", async ({ page }) => {
  const problems = await watch(page);
  await page.addInitScript(() => {
    // Such a browser says so, and a link it does not know neither loads nor fails.
    const supports = DOMTokenList.prototype.supports;
    DOMTokenList.prototype.supports = function (token) {
      return token === "modulepreload" ? false : supports.call(this, token);
    };
    const rel = Object.getOwnPropertyDescriptor(HTMLLinkElement.prototype, "rel");
    Object.defineProperty(HTMLLinkElement.prototype, "rel", {
      ...rel,
      set(value) {
        rel.set.call(this, value === "modulepreload" ? "x-unknown" : value);
      },
    });
  });
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  expect(problems).toEqual([]);
});

/** Has the wasm served with Content-Type `type`, as a CDN may label it: the loader then compiles it
 *  from its bytes once all have arrived, not as they stream in. */
async function serveWasmAs(page, type) {
  await page.route(WASM_FILE, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": type } });
  });
}

test("a CDN that labels the wasm application/octet-stream still serves a working widget", async ({ page }) => {
  const problems = await watch(page);
  await serveWasmAs(page, "application/octet-stream");
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  expect(problems).toEqual([]);
});

test("a page script that makes the browser refuse the form: the page hears Crashed, and the payer reads to reload instead of a dead checkout", async ({ page }) => {
  // Such a script (here: createElement throwing for <form>) traps the wasm in a dependency's
  // unwrap while the form renders. Nothing may run the broken widget after that.
  const problems = await watch(page);
  const errors = consoleErrors(page);
  await page.addInitScript(refuseForms);
  await page.goto("/shop/");
  await expect.poll(async () => (await events(page)).at(-1)).toEqual({ name: "error", detail: CRASHED });
  const first = page.locator("dollr-checkout").first();
  // What the broken widget drew is gone; the payer reads why, as an alert, in the checkout's language.
  await expect(first.getByRole("alert")).toHaveText(CRASHED_SENTENCE);
  expect(await first.getByTestId("crashed").evaluate((el) => el.closest("[lang]").lang)).toBe("en");
  await expect(first.getByTestId("phone")).toHaveCount(0);
  expect(await first.evaluate((element) => element.shadowRoot.querySelectorAll("form, input, button, select").length)).toBe(0);
  // A checkout added later is not run by the broken wasm either: told at once, and says the same.
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  await expect.poll(async () => (await events(page)).filter((e) => e.name === "error")).toHaveLength(2);
  const second = page.locator("dollr-checkout").nth(1);
  await expect(second.getByRole("alert")).toHaveText(CRASHED_SENTENCE);
  expect(await second.evaluate((element) => element.shadowRoot.querySelectorAll("form, input, button, select").length)).toBe(0);
  expect(await page.evaluate(() => [...document.querySelectorAll("dollr-checkout")].map((element) => element.inert))).toEqual([false, false]);
  await page.waitForTimeout(1500); // a tick of the broken widget's timers
  const names = (await events(page)).map((e) => e.name);
  expect(names.slice(names.indexOf("error"))).toEqual(["error", "error"]); // nothing after Crashed
  expectAsDeclared(await events(page));
  expect(errors.filter((text) => text.includes("stopped working"))).toHaveLength(1);
  // Removing them throws nothing and leaves no card slot behind.
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  expect(await page.evaluate(() => document.querySelectorAll("[slot], dollr-checkout").length)).toBe(0);
  expect(problems).toEqual([]);
});

for (const [how, type] of [
  ["compiled as it streams in", null],
  ["compiled from its bytes (a CDN that labels it application/octet-stream)", "application/octet-stream"],
]) {
  test(`a trap of the widget on the payer's input, after its form is drawn, the wasm ${how}: the payer reads to reload where the form was, the page hears Crashed once, and nothing runs the broken widget`, async ({ page }) => {
    const errors = consoleErrors(page);
    if (type) await serveWasmAs(page, type);
    const { widget } = await openStaticShop(page);
    await page.evaluate(refuseElementsToWidget);
    await widget.getByTestId("phone").fill("088 123 1111"); // the quote it brings is drawn with elements refused
    await expect.poll(async () => (await events(page)).at(-1)).toEqual({ name: "error", detail: CRASHED });
    await expect(widget.getByRole("alert")).toHaveText(CRASHED_SENTENCE);
    expect(await widget.evaluate((element) => element.shadowRoot.querySelectorAll("form, input, button, select").length)).toBe(0);
    await page.waitForTimeout(1500); // a tick of the broken widget's timers
    const names = (await events(page)).map((e) => e.name);
    expect(names.slice(names.indexOf("error"))).toEqual(["error"]); // nothing after Crashed
    expect(errors.filter((text) => text.includes("stopped working"))).toHaveLength(1);
  });
}

test("a page's error thrown through the wasm while a payment waits (its Date.now failing): the checkout is replaced, the page hears Crashed, and the broken widget asks the proxy nothing more; a reload resumes the payment, charged once", async ({ page, request }) => {
  const errors = consoleErrors(page);
  const { grant } = await (await request.post("/api/dollr/dev/checkout", { data: {} })).json();
  // The shop's server renders the same order into the page on every load, as a real shop does.
  await editShopHtml(page, renderCheckouts(`<dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout>`));
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 5555"); // stays PROCESSING
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("waiting")).toBeVisible();
  // The clock fails the widget's next read of it, once, as a page's broken time shim would. The
  // error unwinds the wasm's frames, which leaves it as broken as a trap does.
  await page.evaluate(() => {
    const now = Date.now;
    Date.now = function () {
      if (!String(new Error().stack).includes("dollr-checkout-core")) return now.call(Date);
      Date.now = now;
      throw new Error("this page's clock failed");
    };
  });
  await expect.poll(async () => (await events(page)).at(-1), { timeout: 5000 }).toEqual({ name: "error", detail: CRASHED });
  await expect(widget.getByRole("alert")).toHaveText(CRASHED_SENTENCE);
  const asked = [];
  page.on("request", (r) => { if (r.url().includes("/api/dollr/")) asked.push(r.url()); });
  await page.waitForTimeout(5000); // two of the waiting screen's polls, 2 s apart
  expect(asked).toEqual([]);
  expect(errors.filter((text) => text.includes("stopped working"))).toHaveLength(1);
  await page.reload();
  await expect(widget.getByTestId("waiting")).toBeVisible();
  await expect(widget.getByTestId("sent-to")).toHaveText("+231 88 123 5555");
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("a trap in a call the page makes and catches itself (focus() in a framework's try/catch): the page hears Crashed at once, and the checkout is replaced", async ({ page }) => {
  const errors = consoleErrors(page);
  const { widget } = await openStaticShop(page);
  // The page hides the checkout's shadow root from its glue, so the wasm's read of it throws.
  const caught = await page.evaluate(async () => {
    const shadowRoot = Object.getOwnPropertyDescriptor(Element.prototype, "shadowRoot");
    Object.defineProperty(Element.prototype, "shadowRoot", {
      configurable: true,
      get() {
        if (String(new Error().stack).includes("dollr-checkout-core")) throw new Error("this page hides shadow roots");
        return shadowRoot.get.call(this);
      },
    });
    let message = "nothing thrown";
    try {
      document.querySelector("dollr-checkout").focus();
    } catch (error) {
      message = error.message;
    } finally {
      Object.defineProperty(Element.prototype, "shadowRoot", shadowRoot);
    }
    await null; // the microtasks queued in that call; no later call into the widget is waited for
    const heard = document.querySelectorAll("[data-testid=events] li");
    return { message, last: heard[heard.length - 1].dataset.event };
  });
  expect(caught).toEqual({ message: "this page hides shadow roots", last: "error" });
  expect((await events(page)).at(-1)).toEqual({ name: "error", detail: CRASHED });
  await expect(widget.getByRole("alert")).toHaveText(CRASHED_SENTENCE);
  expect(await widget.evaluate((element) => element.shadowRoot.querySelectorAll("form, input, button, select").length)).toBe(0);
  expect(errors.filter((text) => text.includes("stopped working"))).toHaveLength(1);
});

test("an exception in the page's own event listener is the page's, not a crash of the widget", async ({ page }) => {
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.addInitScript(() => {
    document.addEventListener("dollr:ready", () => { throw new Error("the shop's listener failed"); });
  });
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  expect(await widget.evaluate((element) => element.inert)).toBe(false);
  expect(pageErrors).toEqual(["the shop's listener failed"]);
});
