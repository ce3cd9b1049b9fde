// What a shop's page loads from other origins than its own, under a strict Content-Security-Policy
// that names them: the widget's files on a CDN (the loader pinned with its integrity digest, the
// glue, wasm and stylesheet fetched with CORS and checked), and Stripe.js from its host, also when
// the page loads it itself; and a policy that names no source at all, trusting scripts by nonce.
import { test, expect } from "@playwright/test";
import { SANDBOX, executionsFor, holdStripeJs, typeCard } from "./helpers.mjs";
import { PROXY_PORT } from "./playwright.config.mjs";
import { REBUILT_PAGE_LAUNCH_OPTIONS, editShopHtml, events, manifest, openStaticShop, watch } from "./static-shop.mjs";

// The page is rebuilt through DevTools and loads from another loopback origin.
test.use({ launchOptions: REBUILT_PAGE_LAUNCH_OPTIONS });

/** The shop's own Stripe.js tag in its head, as a page that takes cards elsewhere has it, with
 *  the sandbox's stand-in allowed by its policy. */
function addShopsOwnStripeJs(page) {
  return editShopHtml(page, (html) => html
    .replace("script-src 'self'", `script-src 'self' ${SANDBOX}`)
    .replace("</head>", `<script src="${SANDBOX}/__sandbox/stripe.js" async></script></head>`));
}

test("the widget's files on a CDN of another origin: fetched with CORS, checked, and working under that page's strict CSP", async ({ page, request }) => {
  const problems = await watch(page);
  const files = await manifest(request);
  // The page on http://localhost:PORT, the files on http://127.0.0.1:PORT: two origins, as a
  // shop and its CDN. The page's policy names the CDN, as the README says.
  const cdn = `http://127.0.0.1:${PROXY_PORT}/cdn/`;
  await editShopHtml(page, (html) =>
    html
      .replace("script-src 'self'", `script-src 'self' ${cdn}`)
      .replace("style-src 'self'", `style-src 'self' ${cdn}`)
      .replace("connect-src 'self'", `connect-src 'self' ${cdn}`)
      .replace('<script src="../cdn/dollr-checkout.js" defer>', `<script src="${cdn}${files.pinnedLoader}" integrity="${files.integrity.loader}" crossorigin="anonymous" defer>`),
  );
  const fromCdn = [];
  page.on("requestfinished", (r) => { if (r.url().startsWith(cdn)) fromCdn.push(new URL(r.url()).pathname); });
  await page.goto(`http://localhost:${PROXY_PORT}/shop/`);
  const widget = page.locator("dollr-checkout").first();
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  for (const key of ["pinnedLoader", "glue", "wasm", "stylesheet"]) expect(fromCdn, key).toContain(`/cdn/${files[key]}`);
  // Styled by its own stylesheet from the CDN (a browser's default box-sizing is content-box).
  expect(await widget.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector(".dollr-checkout")).boxSizing)).toBe("border-box");
  expect(problems).toEqual([]);
});

test("two checkouts that choose card while Stripe.js is on its way share its one load, and each pays", async ({ page }) => {
  const problems = await watch(page);
  const stripeJs = await holdStripeJs(page);
  let asked = 0;
  page.on("request", (r) => { if (r.url().endsWith("/__sandbox/stripe.js")) asked += 1; });
  await editShopHtml(page, (html) => html.replace("script-src 'self'", `script-src 'self' ${SANDBOX}`));
  const { widget: first } = await openStaticShop(page);
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  const second = page.locator("dollr-checkout").nth(1);
  await expect(second.getByTestId("payment-form")).toBeVisible();
  await first.getByTestId("kind-card").check();
  await expect.poll(stripeJs.asked).toBe(true);
  await second.getByTestId("kind-card").check();
  await expect(second.getByTestId("card-loading")).toBeVisible();
  await page.waitForTimeout(300);
  stripeJs.release();
  for (const widget of [first, second]) {
    await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
  }
  expect(await page.locator("script[src$='/__sandbox/stripe.js']").count()).toBe(1);
  expect(asked).toBe(1);
  // Each field takes its own card: the second checkout pays.
  await typeCard(second, "4242 4242 4242 4242");
  await second.getByTestId("pay").click();
  await expect(second.getByTestId("success")).toBeVisible();
  await expect(first.getByTestId("stripe-card-number")).toBeVisible();
  expect(problems).toEqual([]);
});

test("a page that loads Stripe.js itself: a checkout choosing card while the page's tag is on its way waits for it, adding none, and pays", async ({ page, request }) => {
  const problems = await watch(page);
  const stripeJs = await holdStripeJs(page);
  let asked = 0;
  page.on("request", (r) => { if (r.url().endsWith("/__sandbox/stripe.js")) asked += 1; });
  await addShopsOwnStripeJs(page);
  const { widget, number } = await openStaticShop(page, { waitUntil: "domcontentloaded" });
  await widget.getByTestId("kind-card").check();
  await expect(widget.getByTestId("card-loading")).toBeVisible();
  await page.waitForTimeout(300);
  stripeJs.release();
  await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
  expect(await page.locator("script[src$='/__sandbox/stripe.js']").count()).toBe(1);
  expect(asked).toBe(1);
  await typeCard(widget, "4242 4242 4242 4242");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["COMPLETED"]);
  expect(problems).toEqual([]);
});

test("the page's own Stripe.js tag failing: the payer reads that cards couldn't load, and Try again loads the widget's own, leaving the page's tag in place", async ({ page }) => {
  const failures = [];
  page.on("requestfailed", (r) => failures.push(r.url()));
  // The page's request for Stripe.js is held, then fails, as a dropped connection does.
  let fail;
  const failing = new Promise((resolve) => { fail = resolve; });
  await page.route("**/__sandbox/stripe.js", async (route) => {
    await failing;
    await route.abort();
  });
  await addShopsOwnStripeJs(page);
  const { widget } = await openStaticShop(page, { waitUntil: "domcontentloaded" });
  await widget.getByTestId("kind-card").check();
  await expect(widget.getByTestId("card-loading")).toBeVisible();
  fail();
  await expect(widget.getByTestId("card-load-failed")).toContainText("Card payments couldn't load");
  expect(failures).toHaveLength(1);
  await page.unrouteAll({ behavior: "wait" });
  await widget.getByTestId("card-retry").click();
  await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
  // The page's tag stays where the page put it; the widget's own loaded.
  const tags = page.locator("script[src$='/__sandbox/stripe.js']");
  expect(await tags.evaluateAll((all) => all.map((tag) => tag.parentNode === document.head))).toEqual([true, true]);
  expect(await page.locator("script[data-dollr-stripe]").count()).toBe(1);
});

test("the page's own Stripe.js tag failed as the page loaded: choosing card loads the widget's own at once, without waiting out the page's", async ({ page }) => {
  const problems = await watch(page);
  // The page's request is refused at once, as an ad blocker or a dropped connection does; the
  // widget's own goes through.
  let asked = 0;
  await page.route("**/__sandbox/stripe.js", (route) => (++asked === 1 ? route.abort("blockedbyclient") : route.continue()));
  await addShopsOwnStripeJs(page);
  const { widget } = await openStaticShop(page);
  // The payer reads the form a moment before choosing.
  await page.waitForTimeout(1_500);
  await widget.getByTestId("kind-card").check();
  // Well inside the 15 s the widget gives a tag that is still on its way.
  await expect(widget.getByTestId("stripe-card-number")).toBeVisible({ timeout: 5_000 });
  expect(asked).toBe(2);
  expect(await page.locator("script[data-dollr-stripe-done]:not([data-dollr-stripe])").count()).toBe(1);
  expect(await page.locator("script[data-dollr-stripe]").count()).toBe(1);
  expect(problems).toEqual([]);
});

for (const [what, policy] of [["names no policies", "require-trusted-types-for 'script'"], ["lists the widget's policy among its own", "require-trusted-types-for 'script'; trusted-types shop dollr-checkout"]]) {
  test(`a page enforcing Trusted Types that ${what}: the widget adds Stripe.js through its own policy, and a card pays through 3-D Secure`, async ({ page, request }) => {
    const problems = await watch(page);
    // The shop's policy names the sandbox as the README names Stripe's hosts for cards.
    await editShopHtml(page, (html) => html
      .replace("script-src 'self'", `script-src 'self' ${SANDBOX}`)
      .replace("connect-src 'self'", `connect-src 'self' ${SANDBOX}`)
      .replace("<head>", `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`));
    const { widget, number } = await openStaticShop(page);
    await widget.getByTestId("kind-card").check();
    await expect(widget.getByTestId("stripe-card-number")).toBeVisible();
    // A card that asks for 3-D Secure: the stand-in's challenge is written without HTML strings.
    await typeCard(widget, "4000 0027 6000 3184");
    await widget.getByTestId("pay").click();
    await page.getByTestId("stripe-challenge-approve").click();
    await expect(widget.getByTestId("success")).toBeVisible();
    expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["COMPLETED"]);
    expect(await page.evaluate(() => document.querySelector("script[data-dollr-stripe]").src)).toBe(`${SANDBOX}/__sandbox/stripe.js`);
    expect(problems).toEqual([]);
  });
}

test("removed while Stripe.js is still loading: no timer of the checkout is left behind", async ({ page }) => {
  const problems = await watch(page);
  // Stripe.js held on the way until the checkout is gone.
  const stripeJs = await holdStripeJs(page);
  // The page's policy with the sandbox's Stripe.js stand-in added, as a shop taking cards adds
  // Stripe's hosts.
  await editShopHtml(page, (html) => html.replace("script-src 'self'", `script-src 'self' ${SANDBOX}`));
  const { widget } = await openStaticShop(page);
  await widget.getByTestId("kind-card").check();
  await expect(widget.getByTestId("card-loading")).toBeVisible();
  await expect.poll(stripeJs.asked).toBe(true);
  await page.getByRole("button", { name: "Remove the checkouts" }).click();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => ({
    intervals: window.__live.intervals.size,
    timeouts: window.__live.timeouts.size,
  }))).toEqual({ intervals: 0, timeouts: 0 });
  // Stripe.js arriving after the checkout is gone starts nothing of it.
  stripeJs.release();
  await expect.poll(() => page.evaluate(() => typeof window.Stripe)).toBe("function");
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__live.timeouts.size)).toBe(0);
  expect(problems).toEqual([]);
});

test("a page whose policy trusts scripts by nonce ('strict-dynamic'), on the loader's tag alone: mobile money and a card pay, with no violation", async ({ page, request }) => {
  const problems = await watch(page);
  // The policy web.dev's "strict CSP" recommends, instead of the shop's list of sources: only
  // the tags carrying the response's nonce run, and what they add themselves.
  await editShopHtml(page, (html) => html
    .replace(/script-src [^;]*;/, "script-src 'nonce-c2hvcC1ub25jZQ' 'strict-dynamic' 'wasm-unsafe-eval'; object-src 'none';")
    .replaceAll("<script src", `<script nonce="c2hvcC1ub25jZQ" src`));
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("quote-amount")).toHaveText("$25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  // A second checkout, paid by card: the widget adds Stripe.js itself, which the policy lets run.
  await page.getByRole("button", { name: "Add a second checkout" }).click();
  const second = page.locator("dollr-checkout").nth(1);
  await expect(second.getByTestId("payment-form")).toBeVisible();
  const secondNumber = (await second.getByTestId("order-summary").getByRole("heading").textContent()).split("·")[1].trim();
  await second.getByTestId("kind-card").check();
  await typeCard(second, "4242 4242 4242 4242");
  await second.getByTestId("pay").click();
  await expect(second.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["COMPLETED"]);
  expect((await executionsFor(request, secondNumber)).executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
  expect((await events(page)).filter((e) => e.name === "error")).toEqual([]);
  expect(problems).toEqual([]);
});
