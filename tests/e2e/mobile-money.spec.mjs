// The payer's mobile-money journey in the built widget, against the real proxy and sandbox.
// The sandbox ledger is the judge of "one charge".
import { test, expect } from "@playwright/test";
import { SANDBOX, armFault, disarmFaults, enterPhone, executionsFor, mtnReceipt, openShop, receiptRows, reloadWhileProcessing, stopClock, translatePage } from "./helpers.mjs";

test("success: number → operator → currency → quote → pay → approve → receipt", async ({ page, request }) => {
  const number = await openShop(page);
  await page.getByTestId("phone").fill("088 123 1111");
  const operator = page.getByTestId("operator");
  await expect(operator).toHaveValue("MTN_MOMO_LBR");
  await expect(page.getByTestId("currency-USD")).toBeChecked();
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  // Paying in Liberian dollars: a new quote with the exchange rate.
  await page.getByTestId("currency-LRD").check();
  await expect(page.getByTestId("quote-amount")).toContainText("4,917.20");
  await expect(page.getByTestId("quote-rate")).toHaveText("Exchange rate: 1 USD = 190 LRD");
  await page.getByTestId("currency-USD").check();
  await expect(page.getByTestId("pay")).toHaveText("Pay $25.63");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("Approve the payment on your phone");
  await expect(page.getByTestId("sent-to")).toHaveText("+231 88 123 1111");
  await expect(page.getByTestId("remaining")).toHaveText(/^1[45]:\d\d$/);
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("receipt-paid")).toHaveText("$25.63");
  await expect(page.getByTestId("receipt-total")).toHaveText("$25.00");
  await expect(page.getByTestId("receipt-platform-fee")).toHaveText("$0.38");
  await expect(page.getByTestId("receipt-gateway-fee")).toHaveText("$0.25");
  await expect(page.getByTestId("receipt")).toContainText("Network fee$0.25");
  await expect(page.getByTestId("receipt-operator")).toHaveText("MTN · +231 88 123 1111");
  const { source, executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  expect(executions[0].status).toBe("COMPLETED");
  expect(source.status).toBe("PAID");
  await expect(page.getByTestId("receipt-reference")).toHaveText(executions[0].reference_id);
});

test("a page translator leaves the checkout in its own language, so every amount and each receipt row stays right as they change", async ({ page, request }) => {
  const number = await openShop(page);
  await page.evaluate(translatePage);
  // The translator is at work on the shop's own text.
  await expect(page.locator("h1")).toContainText("«");
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("pay")).toHaveText("Pay $25.63");
  await page.getByTestId("currency-LRD").check();
  await expect(page.getByTestId("pay")).toHaveText(/^Pay LRD\s4,917\.20$/);
  await page.getByTestId("currency-USD").check();
  await expect(page.getByTestId("pay")).toHaveText("Pay $25.63");
  expect(await page.getByTestId("payment-form").textContent()).not.toContain("«");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  await expect(page.getByTestId("receipt").locator(":scope > div")).toHaveCount(6);
  expect(await page.getByTestId("receipt").evaluate(receiptRows)).toEqual(mtnReceipt(executions[0].reference_id));
  expect(await page.getByTestId("success").textContent()).not.toContain("«");
});

test("paying in Liberian dollars: each fee in its own currency, on the quote and the receipt", async ({ page }) => {
  await openShop(page);
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("quote")).toContainText("including fees of $0.63.");
  // Each new amount is said in the live region: a screen reader hears what choosing LRD costs.
  await expect(page.getByTestId("status")).toHaveText("You pay $25.63.");
  await page.getByTestId("currency-LRD").check();
  await expect(page.getByTestId("status")).toHaveText(/^You pay LRD\s4,917\.20\.$/);
  // Dollr's fee and the exchange fee in the order's dollars, the operator's in Liberian dollars:
  // two amounts, not one sum in the wrong currency.
  await expect(page.getByTestId("quote")).toContainText(/including fees of \$0\.63 and LRD\s47\.50\./);
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("receipt-paid")).toHaveText(/^LRD\s4,917\.20$/);
  await expect(page.getByTestId("receipt-platform-fee")).toHaveText("$0.38");
  await expect(page.getByTestId("receipt-gateway-fee")).toHaveText(/^LRD\s47\.50$/);
  await expect(page.getByTestId("receipt-fx-fee")).toHaveText("$0.25");
});

test("a Dollr computing in floating point and with Python's Decimal (25 sent as 25.000000000000004, the rate 190 with a 1 in its 27th decimal, a zero fee as 0E-8): the payer reads and pays the amounts meant", async ({ page, request }) => {
  // Every answer of Dollr's for this payment, the order's creation included.
  await armFault(request, { route: "*", kind: "noisy_amounts", count: 500 });
  try {
    const number = await openShop(page);
    await expect(page.getByTestId("order-summary")).toContainText("$25.00");
    await page.getByTestId("phone").fill("088 123 1111");
    await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
    await page.getByTestId("currency-LRD").check();
    await expect(page.getByTestId("quote-amount")).toHaveText(/^LRD\s4,917\.20$/);
    await expect(page.getByTestId("quote-rate")).toHaveText("Exchange rate: 1 USD = 190 LRD");
    await expect(page.getByTestId("quote")).toContainText(/including fees of \$0\.63 and LRD\s47\.50\./);
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("success")).toBeVisible();
    await expect(page.getByTestId("receipt-paid")).toHaveText(/^LRD\s4,917\.20$/);
    await expect(page.getByTestId("receipt-total")).toHaveText("$25.00");
    await expect(page.getByTestId("receipt-platform-fee")).toHaveText("$0.38");
    await expect(page.getByTestId("receipt-rate")).toHaveText("1 USD = 190 LRD");
    const { executions } = await executionsFor(request, number);
    expect(executions.map((e) => [Number(e.amount), e.currency, e.status])).toEqual([[4917.2, "LRD", "COMPLETED"]]);
    // The answers the widget was shown did come through the fault.
    const [armed] = await (await request.get(`${SANDBOX}/__sandbox/faults`)).json();
    expect(500 - armed.count, "Dollr's answers changed").toBeGreaterThanOrEqual(8);
  } finally {
    await disarmFaults(request);
  }
});

test("an order whose fees the merchant bears: the payer reads the total and no fees, and pays just that", async ({ page, request }) => {
  const number = await openShop(page, "?fee-bearer=PAYEE");
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("quote")).toHaveText("You pay $25.00.");
  await expect(page.getByTestId("pay")).toHaveText("Pay $25.00");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.getByTestId("receipt-paid")).toHaveText("$25.00");
  await expect(page.getByTestId("receipt-total")).toHaveText("$25.00");
  // The fees came out of the merchant's share: none of them is on the payer's receipt.
  await expect(page.getByTestId("receipt")).not.toContainText("fee");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [Number(e.amount), e.currency, e.status])).toEqual([[25, "USD", "COMPLETED"]]);
});

for (const [phone, reason] of [
  ["088 000 2222", "declined on the phone"],
  ["088 000 3333", "wasn't enough money"],
]) {
  test(`failure (${phone.slice(-4)}): a plain reason, and trying again pays once`, async ({ page, request }) => {
    const number = await openShop(page);
    await enterPhone(page, phone);
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("failure-reason")).toContainText(reason);
    await expect(page.getByTestId("status")).toContainText("Payment not completed");
    await page.getByTestId("try-again").click();
    await expect(page.getByTestId("phone")).toHaveValue(phone);
    await page.getByTestId("phone").fill("088 123 1111");
    await expect(page.getByTestId("quote")).toBeVisible();
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("success")).toBeVisible();
    const { executions } = await executionsFor(request, number);
    expect(executions.map((e) => e.status)).toEqual(["FAILED", "COMPLETED"]);
    expect(new Set(executions.map((e) => e.reference_id)).size).toBe(2);
  });
}

test("slow approval: the waiting screen counts, then succeeds", async ({ page, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  // Every value the payer sees, frame by frame, until 0:04: one second at a time, none skipped
  // (a one-second interval drifting against the payment's clock used to jump 0:02 → 0:04).
  const seen = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const find = (root) =>
          root.querySelector("[data-testid=elapsed]") ||
          [...root.querySelectorAll("*")].map((el) => el.shadowRoot && find(el.shadowRoot)).find(Boolean);
        const values = [];
        const frame = () => {
          const text = find(document)?.textContent;
          if (text && text !== values.at(-1)) values.push(text);
          if (text === "0:04") resolve(values);
          else requestAnimationFrame(frame);
        };
        frame();
      }),
  );
  const seconds = seen.map((text) => Number(text.split(":")[1]));
  expect(seconds.length, seen.join(" ")).toBeGreaterThanOrEqual(4);
  seconds.slice(1).forEach((second, i) => expect(second, seen.join(" ")).toBe(seconds[i] + 1));
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("a payment still pending past the time limit: told it may still complete, not to pay again", async ({ page }) => {
  await page.clock.install();
  await openShop(page);
  await enterPhone(page, "088 000 5555");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("sent-to")).toHaveText("+231 88 000 5555");
  await expect(page.getByTestId("overdue")).toHaveCount(0);
  await page.clock.fastForward("16:00");
  const overdue = page.getByTestId("overdue");
  await expect(overdue).toHaveText(/^Your payment is still pending\. If you approved it, .*Don't pay again\.$/);
  await expect(page.getByTestId("status")).toHaveText(await overdue.textContent());
  await expect(page.getByTestId("remaining")).toHaveText("0:00");
  await expect(page.getByTestId("waiting")).not.toContainText(/card/i);
  await expect(page.getByTestId("pay")).toHaveCount(0);
});

/** Counts the widget's status checks (`GET …/v1/payments/{reference}`) sent and answered. */
function statusChecks(page) {
  const checks = { sent: 0, answered: 0 };
  const isCheck = (r) => r.method() === "GET" && /\/v1\/payments\/[0-9a-f-]{36}$/.test(new URL(r.url()).pathname);
  page.on("request", (r) => { if (isCheck(r)) checks.sent += 1; });
  page.on("requestfinished", (r) => { if (isCheck(r)) checks.answered += 1; });
  page.on("requestfailed", (r) => { if (isCheck(r)) checks.answered += 1; });
  return checks;
}

/** Pays on a fresh order with `phone` under Playwright's clock, and stops the clock once the
 *  waiting screen's first check is answered: the page's timers wait until the test moves the
 *  clock. The order's number, the counted checks, and how many were sent by then. */
async function waitingWithClockStopped(page, phone) {
  await page.clock.install();
  const checks = statusChecks(page);
  const number = await openShop(page);
  await enterPhone(page, phone);
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  await expect.poll(() => checks.answered).toBeGreaterThan(0);
  await stopClock(page);
  await expect.poll(() => checks.answered).toBe(checks.sent);
  return { number, checks, sent: checks.sent };
}

test("back from approving in another app, the payer sees the outcome at once, not at the next check", async ({ page, request }) => {
  // The payer is away: no check runs on the page's clock while the payment completes.
  const { number, checks, sent } = await waitingWithClockStopped(page, "088 000 4444");
  await expect.poll(async () => (await executionsFor(request, number)).executions.map((e) => e.status), { timeout: 15_000 }).toEqual(["COMPLETED"]);
  await page.waitForTimeout(500);
  expect(checks.sent).toBe(sent);
  await expect(page.getByTestId("waiting")).toBeVisible();
  // Back on the page: the browser says it is visible again.
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect(page.getByTestId("success")).toBeVisible();
  expect(checks.sent).toBe(sent + 1);
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("back online, the widget checks at once, and its checks go on one at a time", async ({ page, context, request }) => {
  const { number, checks, sent } = await waitingWithClockStopped(page, "088 000 5555");
  await context.setOffline(true);
  await context.setOffline(false);
  await expect.poll(() => checks.answered).toBe(sent + 1);
  expect(checks.sent).toBe(sent + 1);
  // The check that was waiting for its time was dropped for the one just made: two seconds on,
  // one check, not two.
  await page.clock.runFor(2_100);
  await expect.poll(() => checks.answered).toBe(sent + 2);
  await page.waitForTimeout(500);
  expect(checks.sent).toBe(sent + 2);
  // A check on its way is not doubled: the page shown and the browser online in one go send one.
  await page.evaluate(() => {
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event("online"));
  });
  await expect.poll(() => checks.answered).toBe(sent + 3);
  await page.waitForTimeout(500);
  expect(checks.sent).toBe(sent + 3);
  await expect(page.getByTestId("waiting")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("a checkout past the proxy's call limit while the payer approves: it waits as told, says nothing of it, and the payment completes", async ({ page, request }) => {
  const minted = page.waitForResponse((r) => r.url().endsWith("/api/dollr/dev/checkout"));
  const limited = [];
  page.on("response", (r) => { if (r.status() === 429) limited.push(r); });
  await page.addInitScript(() => {
    window.dollrErrors = [];
    window.dollrStatuses = [];
    document.addEventListener("dollr:error", (event) => window.dollrErrors.push(event.detail));
    document.addEventListener("dollr:status", (event) => window.dollrStatuses.push(event.detail.status));
  });
  const number = await openShop(page);
  const { grant } = await (await minted).json();
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  // Something else with the order's grant calls in a loop (another script on the page, say) and
  // spends its calls, until the widget's own check is refused: 10 s at most.
  const looping = { calls: 0, refused: 0 };
  const until = Date.now() + 10_000;
  while (limited.length === 0 && Date.now() < until) {
    const response = await request.get("/api/dollr/v1/checkout", { headers: { Authorization: `Bearer ${grant}` } });
    looping.calls += 1;
    if (response.status() === 429) looping.refused += 1;
  }
  expect(limited.length, JSON.stringify(looping)).toBeGreaterThan(0);
  console.log(`call limit: the loop made ${looping.calls} calls, ${looping.refused} refused, before the widget's check was`);
  const refused = limited[0];
  expect(new URL(refused.url()).pathname).toMatch(/^\/api\/dollr\/v1\//);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect((await refused.json()).error.code).toBe("rate_limited");
  // The loop has stopped: the widget's next check, after the wait it was told, goes through.
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => window.dollrErrors)).toEqual([]);
  expect((await page.evaluate(() => window.dollrStatuses)).slice(-3)).toEqual(["sending", "waiting", "succeeded"]);
  expect((await executionsFor(request, number)).executions.map((e) => e.status)).toEqual(["COMPLETED"]);
});

test("unknown operator: a clear message and a manual choice", async ({ page }) => {
  await openShop(page);
  await page.getByTestId("phone").fill("099 123 1111");
  await expect(page.getByTestId("operator-message")).toContainText("don't recognise this number's network");
  // Pay before a network is chosen takes the payer to the choice, and sends nothing.
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("operator")).toBeFocused();
  await expect(page.getByTestId("operator")).toHaveAccessibleDescription(/^We don't recognise this number's network/);
  await page.getByTestId("operator").selectOption("ORANGE_MONEY_LBR");
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  await expect(page.getByTestId("status")).toHaveText("You pay $25.63.");
  await expect(page.getByTestId("pay")).toBeEnabled();
});

test("invalid number: told as typed, cannot pay", async ({ page }) => {
  await openShop(page);
  await page.getByTestId("phone").fill("088 12x");
  await expect(page.getByTestId("phone-error")).toHaveText("Use digits only, like the example below.");
  await expect(page.getByTestId("phone")).toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("phone")).toBeFocused();
  await expect(page.getByTestId("waiting")).toHaveCount(0);
  await page.getByTestId("phone").fill("088 123");
  await page.getByTestId("phone").blur();
  await expect(page.getByTestId("phone-error")).toContainText("too short");
  // A country this order takes no wallets from: said so, the country left as it was.
  await page.getByTestId("phone").fill("+254 712 345 678");
  await expect(page.getByTestId("phone-error")).toHaveText("Mobile money from that number's country can't pay for this order.");
  await expect(page.getByTestId("country")).toHaveValue("LR");
});

test("a number pasted with its country code chooses its country, and pays in its currency", async ({ page, request }) => {
  const number = await openShop(page);
  // The hint, read with the field, gives an example number of the country chosen.
  const phone = page.getByTestId("phone");
  await expect(page.getByTestId("country")).toHaveValue("LR");
  await expect(phone).toHaveAccessibleDescription(/e\.g\.\s088\s123\s4567/);
  await page.getByTestId("phone").fill("+250 78 123 1111");
  await expect(page.getByTestId("country")).toHaveValue("RW");
  await expect(page.locator(".dollr-prefix")).toHaveText("+250");
  await expect(phone).toHaveAccessibleDescription(/e\.g\.\s078\s123\s4567/);
  await expect(page.getByTestId("phone-error")).toHaveCount(0);
  await expect(page.getByTestId("operator")).toHaveValue("MTN_MOMO_RWA");
  await expect(page.getByTestId("quote-amount")).toHaveText("RWF 33,644");
  // The payer may still choose another country by hand: it is kept, and the number explained.
  await page.getByTestId("country").selectOption("LR");
  await expect(page.getByTestId("phone-error")).toHaveText("That number is from another country. Choose its country first.");
  await page.getByTestId("pay").click();
  await expect(phone).toBeFocused();
  await expect(phone).toHaveAccessibleDescription(/^That number is from another country/);
  // Typed key by key, the country follows once its code is complete.
  await page.getByTestId("phone").fill("");
  await page.getByTestId("phone").pressSequentially("+250781231111");
  await expect(page.getByTestId("country")).toHaveValue("RW");
  await expect(page.getByTestId("phone-error")).toHaveCount(0);
  await expect(page.getByTestId("pay")).toHaveText("Pay RWF 33,644");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("sent-to")).toHaveText("+250 78 123 1111");
  await expect(page.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.currency, e.status])).toEqual([["MTN_MOMO_RWA", "RWF", "COMPLETED"]]);
});

test("a reload while PROCESSING resumes the same attempt and charges once", async ({ page, request }) => {
  const number = await openShop(page);
  const execution = await reloadWhileProcessing(page, page, request, number);
  await expect(page.getByTestId("receipt-reference")).toHaveText(execution.reference_id);
});

test("a second tab on the same order follows the running attempt", async ({ page, context, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByTestId("waiting")).toBeVisible();
  await expect(second.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("two devices pressing Pay on one order at the same moment: one charge, the other is told", async ({ page, browser, baseURL, request }) => {
  const number = await openShop(page);
  // A second device: its own browser storage, the same order (the shop's link opened twice).
  const order = await page.evaluate(() => localStorage.getItem("dollr-demo-order"));
  const device = await browser.newContext({ baseURL });
  await device.addInitScript((kept) => localStorage.setItem("dollr-demo-order", kept), order);
  const second = await device.newPage();
  await openShop(second);
  for (const tab of [page, second]) await enterPhone(tab, "088 123 1111");
  // Hold each create-payment request until both have been sent: the closest race there is.
  let release;
  const bothSent = new Promise((resolve) => { release = resolve; });
  const sent = [];
  for (const tab of [page, second]) {
    await tab.route("**/api/dollr/v1/payments", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push({ tab, reference: route.request().postDataJSON().reference_id });
      if (sent.length === 2) release();
      await bothSent;
      return route.fallback();
    });
  }
  await Promise.all([page.getByTestId("pay").click(), second.getByTestId("pay").click()]);
  await bothSent;
  await expect.poll(async () => (await executionsFor(request, number)).executions.length).toBe(1);
  const { executions } = await executionsFor(request, number);
  const winner = sent.find((s) => s.reference === executions[0].reference_id);
  const loser = sent.find((s) => s !== winner);
  expect(winner && loser).toBeTruthy();
  await expect(winner.tab.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  // The other device charged nothing and says why, in words, with the form still there.
  await expect(loser.tab.getByTestId("notice")).toHaveText(/already in progress/);
  await expect(loser.tab.getByTestId("pay")).toBeEnabled();
  // It keeps an eye on the order: once the first payment lands, it shows the order as paid.
  await expect(loser.tab.getByTestId("already-paid")).toBeVisible({ timeout: 20_000 });
  expect((await executionsFor(request, number)).source.status).toBe("PAID");
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  await device.close();
});

/** A payment waiting on `page`, and a second device (its own browser) opened on the same order,
 *  told that a payment is already in progress; `prepare(second)` runs before it opens. */
async function secondDeviceWhilePaying(page, browser, baseURL, prepare = async () => {}) {
  const number = await openShop(page);
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  const order = await page.evaluate(() => localStorage.getItem("dollr-demo-order"));
  const device = await browser.newContext({ baseURL });
  await device.addInitScript((kept) => localStorage.setItem("dollr-demo-order", kept), order);
  const second = await device.newPage();
  await prepare(second);
  await openShop(second);
  await expect(second.getByTestId("notice")).toHaveText(/already in progress/);
  return { number, device, second };
}

test("a second device opened while a payment runs is told at once, then shows the order paid", async ({ page, browser, baseURL, request }) => {
  const { number, device, second } = await secondDeviceWhilePaying(page, browser, baseURL);
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  await expect(second.getByTestId("already-paid")).toBeVisible({ timeout: 15_000 });
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
  await device.close();
});

test("a second device the payer comes back to after the payment ended elsewhere shows the order paid at once", async ({ page, browser, baseURL }) => {
  const { device, second } = await secondDeviceWhilePaying(page, browser, baseURL, (second) => second.clock.install());
  // The second device's clock stands still, as a phone may freeze a hidden page (the payer in
  // their mobile-money app): its 5 s recheck does not come.
  await stopClock(second);
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  // The page shown again asks about the order at once: a tenth of a second on its clock, not 5 s.
  await second.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await second.clock.runFor(100);
  await expect(second.getByTestId("already-paid")).toBeVisible({ timeout: 3_000 });
  await device.close();
});

test("another tab's attempt written over ours: ours is stored again, and a reload resumes it", async ({ page, context, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("waiting")).toBeVisible();
  const stored = () => page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("dollr-checkout:attempt:"));
    return key && { key, attempt: JSON.parse(localStorage.getItem(key)) };
  });
  const ours = await stored();
  expect(ours.attempt.reference_id).toMatch(/^[0-9a-f-]{36}$/);
  // Another tab of this shop (no widget on it) stores its own attempt under the same key, as a
  // tab pressing Pay in the same instant would.
  const other = await context.newPage();
  await other.goto("/demo.css");
  const theirs = { ...ours.attempt, reference_id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8" };
  await other.evaluate(([key, value]) => localStorage.setItem(key, value), [ours.key, JSON.stringify(theirs)]);
  await expect.poll(async () => (await stored()).attempt.reference_id).toBe(ours.attempt.reference_id);
  await other.close();
  await page.reload();
  await expect(page.getByTestId("waiting")).toBeVisible();
  await expect(page.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.reference_id)).toEqual([ours.attempt.reference_id]);
});

test("the execute answer lost after the charge: success, one charge", async ({ page, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 123 1111");
  await armFault(request, { route: "executions/collection", kind: "drop_after" });
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  const { executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  expect(executions[0].status).toBe("COMPLETED");
});

test("the proxy unreachable while paying: the same reference is sent again, one charge", async ({ page, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 123 1111");
  // The first create-payment request dies on the network before reaching the proxy.
  let dropped = 0;
  await page.route("**/api/dollr/v1/payments", (route) => {
    if (route.request().method() === "POST" && dropped === 0) {
      dropped += 1;
      return route.abort("connectionreset");
    }
    return route.fallback();
  });
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect(dropped).toBe(1);
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("a double click charges once", async ({ page, request }) => {
  const number = await openShop(page);
  await enterPhone(page, "088 123 1111");
  await page.getByTestId("pay").dblclick();
  await expect(page.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("a proxy answering garbage shows an error and the widget keeps working", async ({ page }) => {
  await openShop(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.route("**/api/dollr/v1/quote**", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: "<html>gateway says hello</html>" }),
  );
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("quote-error")).toContainText("Something went wrong");
  // Pay without an amount leads to the way to get one.
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("quote-retry")).toBeFocused();
  await page.unroute("**/api/dollr/v1/quote**");
  // The sentence says "try again", and there is a button to do so.
  await page.getByTestId("quote-retry").click();
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  await expect(page.getByTestId("pay")).toBeEnabled();
  await page.getByTestId("currency-LRD").check();
  await expect(page.getByTestId("quote-amount")).toContainText("4,917.20");
  expect(errors).toEqual([]);
});

test("a quote lost to the network comes by itself once the browser is back online", async ({ page, context }) => {
  await openShop(page);
  await page.route("**/api/dollr/v1/quote**", (route) => route.abort("internetdisconnected"));
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("quote-error")).toContainText("Check your connection");
  // Said in the live region too, so a screen reader tells the payer without moving them.
  await expect(page.getByTestId("status")).toHaveText(await page.getByTestId("quote-error").textContent());
  await expect(page.getByTestId("quote-retry")).toBeVisible();
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("quote-retry")).toBeFocused();
  await page.unroute("**/api/dollr/v1/quote**");
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  await expect(page.getByTestId("status")).toHaveText("You pay $25.63.");
  await expect(page.getByTestId("pay")).toBeEnabled();
});

test("an order refused once by something in front of the proxy (a firewall's 403, not in the proxy's words): the payer reads that something went wrong, and Try again loads it", async ({ page }) => {
  let refused = 0;
  await page.route("**/api/dollr/v1/checkout", (route) => {
    if (refused++) return route.continue();
    return route.fulfill({ status: 403, contentType: "text/html", body: "<h1>Request blocked</h1>" });
  });
  await page.goto("/");
  await expect(page.getByTestId("error")).toContainText("Something went wrong on our side. Please try again.");
  await page.getByTestId("retry").click();
  await expect(page.getByTestId("payment-form")).toBeVisible();
});

test("an order lost to the network loads by itself once the browser is back online", async ({ page, context }) => {
  await page.route("**/api/dollr/v1/checkout", (route) => route.abort("internetdisconnected"));
  await page.goto("/");
  await expect(page.getByTestId("error")).toContainText("Check your connection");
  await page.unroute("**/api/dollr/v1/checkout");
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId("payment-form")).toBeVisible();
});

test("keyboard: each screen the payer brings about takes the focus, so Tab stays in the checkout", async ({ page }) => {
  await openShop(page);
  // Loading the page moves no focus into the checkout.
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await page.getByTestId("phone").focus();
  await page.keyboard.type("0880002222");
  await expect(page.getByTestId("quote")).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("failure").getByRole("heading")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("try-again")).toBeFocused();
  await page.keyboard.press("Enter");
  // Back on the form: its first field, the number as it was.
  await expect(page.getByTestId("kind-mobile-money")).toBeFocused();
  await expect(page.getByTestId("phone")).toHaveValue("0880002222");
  await page.getByTestId("phone").fill("088 123 1111");
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  await page.getByTestId("pay").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("waiting").getByRole("heading")).toBeFocused();
  // The payer moves on to the shop's own page while waiting: the outcome leaves that focus alone.
  await page.locator("#new-order").focus();
  await expect(page.getByTestId("success")).toBeVisible();
  await expect(page.locator("#new-order")).toBeFocused();
});

test("Pay on an empty form is in the Tab order and asks for the number, takes the payer to it, and sends nothing", async ({ page, request }) => {
  const number = await openShop(page);
  const phone = page.getByTestId("phone");
  const pay = page.getByTestId("pay");
  // From the number, Tab reaches Pay: a keyboard or screen-reader payer finds it before filling
  // anything in (a disabled button is skipped, and says nothing about why).
  await phone.focus();
  await page.keyboard.press("Tab");
  await expect(pay).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(phone).toBeFocused();
  await expect(page.getByTestId("phone-error")).toHaveText("Enter the mobile money number that will pay.");
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(phone).toHaveAccessibleDescription(/^Enter the mobile money number that will pay\. The number of the wallet/);
  // Leaving the field keeps the request in view; typing answers it, with no "too short" at the
  // first digit.
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("phone-error")).toBeVisible();
  await phone.focus();
  await page.keyboard.type("088");
  await expect(page.getByTestId("phone-error")).toHaveCount(0);
  await page.keyboard.type("1231111");
  // While the network and the amount are on their way, Pay waits for them; then it pays.
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  expect((await executionsFor(request, number)).executions).toHaveLength(0);
  await pay.click();
  await expect(page.getByTestId("success")).toBeVisible();
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});

test("on a phone, the screen Pay brings is in view, not the shop's footer, and so is the outcome", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await openShop(page);
  // The shop's page goes on below the checkout, as most do.
  await page.evaluate(() => document.body.append(Object.assign(document.createElement("footer"), { style: "height: 1500px" })));
  await enterPhone(page, "088 000 4444");
  await page.getByTestId("pay").click();
  const waiting = page.getByTestId("waiting").getByRole("heading");
  await expect(waiting).toBeFocused();
  // The waiting screen is shorter than the form: without a scroll its heading sat above the
  // viewport, with only the timers and the footer in view.
  await expect(waiting).toBeInViewport();
  // The payer scrolls on down the shop's page while approving; the outcome comes into view.
  await page.evaluate(() => window.scrollBy(0, 900));
  await expect(waiting).not.toBeInViewport();
  await expect(page.getByRole("heading", { name: "Payment complete" })).toBeInViewport({ timeout: 20_000 });
});

test("keyboard only, on a 360 px screen", async ({ page, request }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const number = await openShop(page);
  await page.getByTestId("country").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("phone")).toBeFocused();
  await page.keyboard.type("0881231111");
  await expect(page.getByTestId("quote")).toBeVisible();
  // Arrow keys move through the currency choices; focus stays on the group as the quote changes.
  await page.getByTestId("currency-USD").focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("currency-LRD")).toBeChecked();
  await expect(page.getByTestId("quote-amount")).toContainText("4,917.20");
  await expect(page.getByTestId("currency-LRD")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
  await expect(page.getByTestId("currency-USD")).toBeFocused();
  await page.getByTestId("phone").press("Enter");
  await expect(page.getByTestId("success")).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  expect((await executionsFor(request, number)).executions).toHaveLength(1);
});
