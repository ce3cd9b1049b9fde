// Embedding benchmark (not a test): what a mobile-money payer downloads (loader, glue, wasm,
// CSS; Stripe.js excluded) and the time from the loader script starting to an interactive
// form, median of 20 cold loads of the static shop from loopback in headless Chromium.
// Usage: node scripts/bench-embed.mjs http://127.0.0.1:PORT   (make bench-embed starts the proxy)
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";

const base = process.argv[2] || "http://127.0.0.1:18787";
const LOADS = 20;

console.log(execFileSync("node", ["scripts/size-report.mjs", "dist/cdn"]).toString().trim());

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const times = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext(); // cold cache every time
  const page = await context.newPage();
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
console.log(`script tag start → interactive form, ${LOADS} cold loads: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[LOADS - 1].toFixed(0)})`);
