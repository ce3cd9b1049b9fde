// The checkout in Chromium 64, the oldest Chrome of the README's browser floor
// (tests/e2e/engines.mjs drives it over the DevTools protocol), against the real proxy and
// sandbox: what only the floor's own engine needs checked. shop.engines.mjs runs there too, on the
// static shop under the policy for browsers older than 'wasm-unsafe-eval' (the `shopFront`
// fixture). Its V8 keeps a wasm memory's old buffer when the wasm grows it, which the release
// glue must notice (scripts/memory-views.mjs); under the README's strict policy it refuses the
// wasm; it draws without flex gaps or :focus-visible; and the trunk demo does not run in it, so
// its card and reload paths are paid here on the static shop.
import { expectAsDeclared } from "./declarations.mjs";
import { executionsFor } from "./helpers.mjs";
import { linesOf } from "./layout.mjs";
import { WASM_REFUSED, heardEvents, renderCheckouts, withShopPolicy } from "./static-shop.mjs";
import { KEYS, OLDER_BROWSERS_SCRIPT_SRC, expectDrawnWithin, payByCardWith3DS, reloadWhileWaiting, test, expect } from "./engines.mjs";
import { PROXY_PORT } from "./playwright.config.mjs";

test("the engine is Chromium 64, whose V8 keeps a wasm memory's old buffer when the wasm grows it", async ({ tab }) => {
  await tab.goto("about:blank");
  expect(await tab.evaluate(() => navigator.userAgent)).toContain("HeadlessChrome/64.0.3264.0");
  // A module whose one function grows its memory by a page: the buffer from before still has its
  // bytes here, where later engines detach it. This is what the glue must not be fooled by.
  const kept = await tab.evaluate(() => {
    // (module (memory (export "m") 1) (func (export "g") (result i32) i32.const 1 memory.grow))
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1,
      7, 9, 2, 1, 109, 2, 0, 1, 103, 0, 0, 10, 8, 1, 6, 0, 65, 1, 64, 0, 11]);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const before = exports.m.buffer;
    exports.g();
    return [before.byteLength, exports.m.buffer.byteLength];
  });
  expect(kept).toEqual([65536, 131072]);
});

test("on a 320 px screen, paid from the keyboard in a field showing its focus: nothing of the checkout reaches past the screen or is drawn crowded in this engine, which has no flex gaps, from the form to the receipt, and the payer's number stays whole", async ({ tab, request }) => {
  await tab.openAtWidth("/shop/", 320, 640);
  await tab.waitFor("payment-form");
  expect(await tab.evaluate(() => innerWidth)).toBe(320);
  await expectDrawnWithin(tab);
  const number = await tab.orderNumber();
  await tab.type("phone", "088 123 1111");
  await expect.poll(() => tab.text("pay")).toBe("Pay $25.63");
  // The field the payer types in shows its focus: this engine has no :focus-visible, so the
  // theme's ring is not drawn, and the browser's own must not be taken away.
  const ring = (field) => [field.getRootNode().activeElement === field, getComputedStyle(field).outlineStyle];
  expect(await tab.evaluate(ring, await tab.inCheckout("phone"))).toEqual([true, "auto"]);
  // Enter in the number's field submits the form, as Pay does.
  await tab.press(KEYS.Enter);
  await tab.waitFor("sent-to");
  await expectDrawnWithin(tab);
  await tab.waitFor("success", 0, 15_000);
  await expectDrawnWithin(tab);
  expect(await tab.text("receipt-operator")).toBe("MTN · +231 88 123 1111");
  expect(await tab.evaluate(linesOf, await tab.inCheckout("receipt-operator"), "+")).toBe(1);
  expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["COMPLETED"]);
});

test("a card payment with 3-D Secure, typed into Stripe's card field (the sandbox's stand-in), on a shop page without a policy, charged once; the card form passes an axe audit", async ({ tab, request }) => {
  // No policy: the stand-in is not on Stripe's hosts, which a shop's policy for cards lists.
  const withoutPolicy = (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  await withShopPolicy(OLDER_BROWSERS_SCRIPT_SRC, async (origin) => {
    await tab.goto(`${origin}/shop/`);
    await tab.waitFor("payment-form");
    await payByCardWith3DS(tab, request, await tab.orderNumber());
  }, withoutPolicy);
});

test("a reload while the payment is processing resumes it on the waiting screen, and charges once", async ({ tab, request }) => {
  // The shop's server renders the same order into the page on every load, as a real shop does.
  const { grant } = await (await request.post("/api/dollr/dev/checkout", { data: {} })).json();
  const sameOrder = renderCheckouts(`<dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout>`);
  await withShopPolicy(OLDER_BROWSERS_SCRIPT_SRC, async (origin) => {
    await tab.goto(`${origin}/shop/`);
    await tab.waitFor("payment-form");
    const execution = await reloadWhileWaiting(tab, request, await tab.orderNumber());
    const success = (await tab.evaluate(heardEvents)).find((e) => e.name === "success");
    expect(success.detail.reference_id).toBe(execution.reference_id);
    expect(await tab.violations()).toEqual([]);
  }, sameOrder);
});

test("under the README's strict policy this engine refuses the wasm, as it predates 'wasm-unsafe-eval': the wasm is asked for once, the page hears LoadFailed, the shop says so in its words, and the console says what such browsers need", async ({ tab }) => {
  // The shop as the proxy serves it, with the strict policy.
  await tab.goto(`http://127.0.0.1:${PROXY_PORT}/shop/`);
  await expect
    .poll(async () => (await tab.evaluate(heardEvents)).map((e) => [e.name, e.detail.code]), { timeout: 20_000 })
    .toEqual([["error", "LoadFailed"]]);
  expectAsDeclared(await tab.evaluate(heardEvents));
  expect(await tab.evaluate(() => document.querySelector(".checkout-unavailable").textContent)).toContain("Our checkout couldn't load");
  const wasm = () => performance.getEntriesByType("resource").filter((r) => /\.wasm$/.test(r.name)).length;
  expect(await tab.evaluate(wasm)).toBe(1);
  // Its refusal of the wasm is the policy's, reported as a violation of script-src (its error does
  // not say so), and the console says what this browser needs, the keyword it has being one it
  // does not know.
  expect(await tab.violations()).toEqual([expect.stringMatching(/^script-src/)]);
  await expect.poll(() => tab.consoleErrors.filter((text) => text.startsWith("dollr-checkout:"))).toEqual([
    WASM_REFUSED,
  ]);
});
