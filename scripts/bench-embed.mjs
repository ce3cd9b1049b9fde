// Embedding benchmark (not a test): what a mobile-money payer downloads (loader, glue, wasm,
// CSS; Stripe.js excluded) and the time from the loader script starting to an interactive form,
// median of 20 cold loads of the static shop from loopback in headless Chromium. Each load gets
// a fresh order whose element and grant are in the page's HTML, as a merchant's server renders
// them (the shop's own "create a demo order" request is not the widget's time).
// Usage: node scripts/bench-embed.mjs http://127.0.0.1:PORT   (make bench-embed starts the proxy)
// CPU_SLOWDOWN=4 also slows Chromium's CPU four times (DevTools throttling), roughly a mid-range
// phone: informative only, the budget is for the unthrottled figure.
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";

const base = process.argv[2] || "http://127.0.0.1:18787";
const LOADS = 20;
const SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 1);

const BUDGET_KB = 70; // brotli, everything a mobile-money payer downloads
const BUDGET_MS = 150; // median, script tag start → interactive form

const report = execFileSync("node", ["scripts/size-report.mjs", "dist/cdn"]).toString().trim();
console.log(report);
const totalKb = Number(report.split("\n").find((line) => line.startsWith("total")).trim().split(/\s+/).at(-2));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
/** A new demo order's grant, from the proxy's sandbox-only route (what a shop's server mints). */
async function freshGrant() {
  const response = await fetch(`${base}/api/dollr/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ currency: "USD" }),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  return (await response.json()).grant;
}

const times = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext(); // cold cache every time
  const page = await context.newPage();
  if (SLOWDOWN > 1) {
    const devtools = await context.newCDPSession(page);
    await devtools.send("Emulation.setCPUThrottlingRate", { rate: SLOWDOWN });
  }
  const grant = await freshGrant();
  await page.route(`${base}/shop/`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '<div id="checkouts"></div>',
      `<div id="checkouts"><dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout></div>`,
    );
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${base}/shop/`);
  const ms = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const check = () => {
          const pay = document.querySelector("dollr-checkout")?.shadowRoot?.querySelector("[data-testid=phone]");
          if (pay) {
            const loader = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/cdn/dollr-checkout.js"));
            resolve(performance.now() - loader.startTime);
          } else requestAnimationFrame(check);
        };
        check();
      }),
  );
  times.push(ms);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = (times[LOADS / 2 - 1] + times[LOADS / 2]) / 2;
const slowed = SLOWDOWN > 1 ? `, CPU ${SLOWDOWN}× slower` : "";
console.log(`script tag start → interactive form, ${LOADS} cold loads${slowed}: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[LOADS - 1].toFixed(0)})`);
const verdict = (ok) => (ok ? "within budget" : "OVER BUDGET");
console.log(`budget: download ${totalKb.toFixed(1)} KB brotli of ${BUDGET_KB} KB: ${verdict(totalKb <= BUDGET_KB)}`);
if (SLOWDOWN === 1) {
  console.log(`budget: median ${median.toFixed(0)} ms of ${BUDGET_MS} ms: ${verdict(median <= BUDGET_MS)}`);
}
