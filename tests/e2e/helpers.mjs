// Shared steps of the end-to-end tests: talk to the sandbox's test hooks like a QA engineer.
import { readFileSync } from "node:fs";
import { expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { SANDBOX_PORT } from "./playwright.config.mjs";

/** The levels every axe audit checks, in Chromium (a11y.spec.mjs) and in WebKit and Firefox
 *  (engines.mjs): WCAG 2.0 and 2.1, A and AA. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** The axe violations inside the checkout at `host` (a selector) in Chromium, as "rule: target"
 *  lines a reader can act on. */
export async function audit(page, host) {
  const { violations } = await new AxeBuilder({ page })
    .include(host)
    .withTags(WCAG_TAGS)
    .analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`));
}

export const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;

/** The README's code block that follows `lead` ("… in Node.js:"), in `language`, as written. */
export function readmeExample(lead, language) {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const at = readme.indexOf(`${lead}\n\n\`\`\`${language}\n`);
  if (at < 0) throw new Error(`README: the example after "${lead}" is gone`);
  const start = readme.indexOf("\n", readme.indexOf("```", at)) + 1;
  return readme.slice(start, readme.indexOf("```", start));
}

/** Stops the page's clock (Playwright's, installed) where it stands, as a phone freezing a hidden
 *  page does: paused a moment ahead of the page's time, asked again when the page's time passed
 *  that moment before the pause came (a busy machine). */
export async function stopClock(page) {
  await expect(async () => page.clock.pauseAt((await page.evaluate(() => Date.now())) + 50)).toPass();
}

/** The sandbox ledger: every source and every execution. */
export async function ledger(request) {
  const response = await request.get(`${SANDBOX}/__sandbox/ledger`);
  if (!response.ok()) throw new Error(`ledger: HTTP ${response.status()}`);
  return response.json();
}

/** A fresh invoice and grant from the proxy's sandbox-only route. */
export async function demoOrder(request, currency = "USD") {
  const response = await request.post("/api/dollr/dev/checkout", { data: { currency } });
  if (!response.ok()) throw new Error(`demo order: HTTP ${response.status()}`);
  return response.json();
}

/** Arms a sandbox fault (see the README's test hooks). */
export async function armFault(request, fault) {
  const response = await request.post(`${SANDBOX}/__sandbox/faults`, { data: fault });
  if (!response.ok()) throw new Error(`fault: HTTP ${response.status()}`);
}

/** Disarms every sandbox fault still armed. */
export async function disarmFaults(request) {
  const response = await request.delete(`${SANDBOX}/__sandbox/faults`);
  if (!response.ok()) throw new Error(`faults: HTTP ${response.status()}`);
}

/** Opens the demo shop on a fresh order and waits for the payment form. */
export async function openShop(page, query = "") {
  await page.goto(`/${query}`);
  await page.getByTestId("payment-form").waitFor();
  const heading = await page.getByTestId("order-summary").getByRole("heading").textContent();
  return heading.split("·")[1].trim();
}

/** Types a number and waits for the quote (operator detected, amount known). */
export async function enterPhone(page, phone) {
  await page.getByTestId("phone").fill(phone);
  await page.getByTestId("quote").waitFor();
}

/** Types a test card into Stripe's fields (the sandbox's stand-in) within `root`, the page or one
 *  checkout: `number`, a future expiry and a CVC. */
export async function typeCard(root, number) {
  await root.getByTestId("stripe-card-number").fill(number);
  await root.getByTestId("stripe-card-expiry").fill("12 / 34");
  await root.getByTestId("stripe-card-cvc").fill("123");
}

/** Holds the sandbox's Stripe.js on its way, as a slow network would, until `release()`;
 *  `asked()` says whether the page has asked for it. */
export async function holdStripeJs(page) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked = false;
  await page.route("**/__sandbox/stripe.js", async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  return { asked: () => asked, release };
}

/** The sandbox's executions for one invoice number. */
export async function executionsFor(request, number) {
  const books = await ledger(request);
  const source = books.sources.find((s) => s.number === number);
  if (!source) throw new Error(`no invoice ${number} in the ledger`);
  return { source, executions: books.executions.filter((e) => e.source_id === source.id) };
}

/** Pays with the slowly approved number, reloads while the payment is PROCESSING, and checks
 *  that the reload resumes that attempt (the waiting screen, never the form again) and that it
 *  completes, charged once. `root` is the page, or the widget's locator. The execution. */
export async function reloadWhileProcessing(page, root, request, number) {
  await enterPhone(root, "088 000 4444");
  await root.getByTestId("pay").click();
  await expect(root.getByTestId("waiting")).toBeVisible();
  await expect.poll(async () => (await executionsFor(request, number)).executions.length).toBe(1);
  await page.reload();
  await expect(root.getByTestId("waiting")).toBeVisible();
  await expect(root.getByTestId("sent-to")).toHaveText("+231 88 000 4444");
  await expect(root.getByTestId("phone")).toHaveCount(0);
  await expect(root.getByTestId("success")).toBeVisible({ timeout: 20_000 });
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
  return executions[0];
}

/** A page translator, as browsers' and extensions' work: each text of the page, and of every
 *  open shadow root in it, that its element's `translate` leaves to translation is replaced by
 *  <font><font>its translation</font></font> (here marked «…»), and so is each text added
 *  later. Chrome's own needs Google's servers, so this stands in for it. */
export function translatePage() {
  const translate = (node) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const text of texts) {
      const parent = text.parentElement;
      if (!text.data.trim() || !parent || !parent.translate || parent.closest("font, style, script")) continue;
      const outer = document.createElement("font");
      outer.appendChild(document.createElement("font")).textContent = `«${text.data}»`;
      text.replaceWith(outer);
    }
  };
  const watch = (root) => {
    translate(root);
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) translate(node.nodeType === Node.TEXT_NODE ? node.parentNode : node);
    }).observe(root, { childList: true, subtree: true });
    for (const element of root.querySelectorAll("*")) if (element.shadowRoot) watch(element.shadowRoot);
  };
  watch(document.body);
}

/** The rows of the receipt `dl`, each as its label and its figure (runs of white space as one
 *  space). */
export function receiptRows(receipt) {
  return [...receipt.children].map((row) => [...row.children].map((cell) => cell.textContent.replace(/\s+/g, " ")));
}

/** The receipt's rows (see `receiptRows`) for a demo order of 25 USD paid in dollars by MTN
 *  from 088 123 1111, under `reference`. */
export function mtnReceipt(reference) {
  return [
    ["Amount paid", "$25.63"],
    ["Order total", "$25.00"],
    ["Service fee", "$0.38"],
    ["Network fee", "$0.25"],
    ["Paid with", "MTN · +231 88 123 1111"],
    ["Reference", reference],
  ];
}

/** The receipt's rows (see `receiptRows`) for a demo order of 25 USD paid in francs by MTN
 *  Rwanda from +250 78 123 1111, under `reference`, in a French checkout: the amounts written
 *  the French way (33 644 = (25,00 + 0,38 + 0,25) × 1 300 + 325). */
export function rwandaReceiptInFrench(reference) {
  return [
    ["Montant payé", "33 644 RWF"],
    ["Total de la commande", "25,00 $US"],
    ["Frais de service", "0,38 $US"],
    ["Frais de réseau", "325 RWF"],
    ["Frais de change", "0,25 $US"],
    ["Taux de change", "1 USD = 1 300 RWF"],
    ["Payé avec", "MTN · +250 78 123 1111"],
    ["Référence", reference],
  ];
}

/** The `dollr:error` detail a crashed checkout sends, and the sentence the payer reads in its place
 *  (in English). */
export const CRASHED = { code: "Crashed", message: "The checkout stopped working. Reload the page to continue." };
export const CRASHED_SENTENCE = "This checkout stopped working. Please reload the page: a payment already made is not charged again.";

/** A page script that, from when it runs, makes the browser refuse to create any element for the
 *  checkout's glue (the file its caller's stack names), for `evaluate`: the wasm traps in a
 *  dependency's unwrap the next time it draws something new, as a checkout crashes on the
 *  payer's input. */
export function refuseElementsToWidget() {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, ...rest) {
    if (String(new Error().stack).includes("dollr-checkout-core")) throw new Error("this page refuses the checkout's elements");
    return create.call(this, name, ...rest);
  };
}

/** A page script that makes the browser refuse to create a <form>, for `page.addInitScript`: the
 *  wasm traps in a dependency's unwrap while the form renders, as a checkout crashes. */
export function refuseForms() {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, ...rest) {
    if (String(name).toLowerCase() === "form") throw new Error("this page refuses forms");
    return create.call(this, name, ...rest);
  };
}
