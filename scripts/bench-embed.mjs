// Embedding benchmark (not a test): what a mobile-money payer downloads (loader, glue, wasm,
// CSS; Stripe.js excluded) and the time from the loader script starting to an interactive form,
// median of 20 cold loads of the static shop from loopback in headless Chromium. Each load gets
// a fresh order whose element and grant are in the page's HTML, as a merchant's server renders
// them (the shop's own "create a demo order" request is not the widget's time).
// Usage: node scripts/bench-embed.mjs http://127.0.0.1:PORT   (make bench-embed starts the proxy)
// CPU_SLOWDOWN=4 also slows Chromium's CPU four times (DevTools throttling), roughly a mid-range
// phone: informative only, the budget is for the unthrottled figure.
// TRACE=1 records Chromium's trace of each load and prints where the page's main thread spent its
// time, from the loader's request to the interactive form (tracing slows loads a little, so a
// traced run's median is not the budget's figure).
// WARM=1 measures a returning payer instead: one browser profile for all loads (a first, uncounted
// load fills its cache), each load a new page with a new order; informative, the budget is for
// cold loads.
// NETWORK=3g also slows the network to Chromium DevTools' "Fast 3G" preset (562.5 ms latency,
// 1.44 Mbit/s down, 675 kbit/s up): with WARM=1 it shows what a returning payer's cache saves.
// NETWORK=slow3g slows it to DevTools' "Slow 3G" preset instead (2 s latency, 400 kbit/s each
// way; "3G" in newer DevTools): a payer on a poor mobile network, where the download's size
// sets most of the wait.
// HINTS=1 also puts the preload hints of the README's "Preload hints" into the shop's head, named
// from the served dollr-checkout.manifest.json, as a merchant's server can.
// Each run also counts the loads that drew "Loading" for a frame or more before the form, and
// when those first drew it (a payer's first sign of the checkout while the order comes).
// TIMELINE=1 also prints when the loader, the order, the glue and the wasm finished arriving
// (median, from the loader's request; resource timing), to set against the form's time.
// LOADS=N measures N loads (or pairs) instead of 20; the budget is for 20.
// COMPARE=http://127.0.0.1:PORT2 measures a second server (another build's dist, another proxy)
// in the same run, alternating loads A B, B A, …, and prints the paired difference: on a small,
// noisy machine two separate runs of one build differ by more than most changes do.
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { preloadHints } from "./preload-hints.mjs";

const base = process.argv[2] || "http://127.0.0.1:18787";
const LOADS = Number(process.env.LOADS || 20); // the budget is for 20
const SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 1);
const TRACE = Boolean(process.env.TRACE) && !process.env.COMPARE; // one build's breakdown at a time
const COMPARE = process.env.COMPARE;
const TIMELINE = Boolean(process.env.TIMELINE) && !COMPARE;
const WARM = Boolean(process.env.WARM);
/** DevTools' "Fast 3G" preset (bytes per second). */
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };
/** DevTools' "Slow 3G" preset (bytes per second). */
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500e3 / 8) * 0.8, uploadThroughput: (500e3 / 8) * 0.8 };
const NETWORKS = { "3g": ["Fast 3G", FAST_3G], slow3g: ["Slow 3G", SLOW_3G] };
if (process.env.NETWORK && !Object.hasOwn(NETWORKS, process.env.NETWORK)) throw new Error("NETWORK must be 3g or slow3g");
const [NETWORK_NAME, NETWORK] = process.env.NETWORK ? NETWORKS[process.env.NETWORK] : [null, null];
const HINTS = Boolean(process.env.HINTS);

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
async function freshGrant(origin) {
  const response = await fetch(`${origin}/api/dollr/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ currency: "USD" }),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  return (await response.json()).grant;
}

/** The README's preload hints for `origin`'s build, or nothing without HINTS. */
async function hintsFor(origin) {
  if (!HINTS) return "";
  const response = await fetch(`${origin}/cdn/dollr-checkout.manifest.json`);
  if (!response.ok) throw new Error(`manifest: HTTP ${response.status}`);
  return preloadHints(await response.json(), "/cdn/");
}

/** Trace events summed per load, by what they are (they nest: a microtask includes lazy compiles). */
const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.wasm", "v8.execute", "blink", "toplevel"];
const MAIN_THREAD_PARTS = {
  "ThreadControllerImpl::RunTask": "all tasks (busy)",
  RunMicrotasks: "microtasks: the glue and the wasm running",
  "wasm.CompileLazy": "  of which wasm functions compiled on first call",
  TimerFire: "timers: the loader's Intl warm-up",
  Layout: "layout",
  UpdateLayoutTree: "style",
  "v8.wasm.compileConsume": "streaming wasm compile (main-thread part)",
  "v8.newInstance": "wasm instantiation",
  ParseHTML: "HTML parsing",
};
const partTotals = new Map();
function addMainThreadTimes(events, ms) {
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const start = events.find((e) => e.name === "ResourceSendRequest" && e.args.data.url.endsWith("/cdn/dollr-checkout.js"))?.ts;
  if (start === undefined) return;
  const end = start + ms * 1000;
  for (const e of events) {
    if (e.ph !== "X" || e.ts < start || e.ts > end || !main.has(`${e.pid}:${e.tid}`)) continue;
    let part = MAIN_THREAD_PARTS[e.name];
    if (e.name === "EvaluateScript" && e.args?.data?.url?.endsWith("/cdn/dollr-checkout.js")) part = "evaluating the loader";
    if (part) partTotals.set(part, (partTotals.get(part) || 0) + e.dur / 1000);
  }
}

/** The browser profile of returning payers (WARM=1), else none. */
const profile = WARM ? await browser.newContext() : null;

/** One load of `origin`'s shop (cold unless WARM): milliseconds from the loader's request to the
 *  phone field. */
async function loadOnce(origin) {
  const context = profile || (await browser.newContext()); // cold: a new profile every time
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  if (SLOWDOWN > 1) await devtools.send("Emulation.setCPUThrottlingRate", { rate: SLOWDOWN });
  if (NETWORK) await devtools.send("Network.emulateNetworkConditions", NETWORK);
  const grant = await freshGrant(origin);
  const hints = await hintsFor(origin);
  // The page's HTML gets the element and grant through DevTools' Fetch domain, for that one
  // request only: Playwright's page.route would pass every request through this script and turn
  // the browser's cache off, which neither a cold nor a returning payer has.
  devtools.on("Fetch.requestPaused", async (paused) => {
    if (paused.responseStatusCode !== 200) throw new Error(`the shop page answered HTTP ${paused.responseStatusCode}`);
    const { body, base64Encoded } = await devtools.send("Fetch.getResponseBody", { requestId: paused.requestId });
    const html = (base64Encoded ? Buffer.from(body, "base64").toString() : body).replace("</title>", `</title>${hints}`).replace(
      '<div id="checkouts"></div>',
      `<div id="checkouts"><dollr-checkout proxy="/api/dollr" grant="${grant}"></dollr-checkout></div>`,
    );
    await devtools.send("Fetch.fulfillRequest", {
      requestId: paused.requestId,
      responseCode: paused.responseStatusCode,
      responseHeaders: paused.responseHeaders.filter((h) => !/^content-(length|encoding)$/i.test(h.name)),
      body: Buffer.from(html).toString("base64"),
    });
  });
  await devtools.send("Fetch.enable", { patterns: [{ urlPattern: `${origin}/shop/`, requestStage: "Response" }] });
  // Notes the first frame that showed "Loading" before the form (a flash, when the order's answer
  // was only a moment behind the widget; on a slow network, the payer's first sign of it).
  await page.addInitScript(() => {
    window.__loadingSeen = null;
    const look = () => {
      const root = document.querySelector("dollr-checkout")?.shadowRoot;
      if (root?.querySelector("[data-testid=phone]")) return;
      if (root?.querySelector("[data-testid=loading]")) window.__loadingSeen ??= performance.now();
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  if (TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.goto(`${origin}/shop/`);
  const { ms, loadingMs, ended } = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const check = () => {
          const pay = document.querySelector("dollr-checkout")?.shadowRoot?.querySelector("[data-testid=phone]");
          if (pay) {
            const loader = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/cdn/dollr-checkout.js"));
            const seen = window.__loadingSeen;
            // When each of the widget's requests ended, from the loader's request (TIMELINE).
            const ended = {};
            for (const e of performance.getEntriesByType("resource")) {
              const what = /_bg\.[0-9a-f]+\.wasm$/.test(e.name) ? "wasm" : /-core\.[0-9a-f]+\.js$/.test(e.name) ? "glue" : /\/v1\/checkout$/.test(e.name) ? "order" : null;
              if (what) ended[what] = e.responseEnd - loader.startTime;
            }
            ended.loader = loader.responseEnd - loader.startTime;
            resolve({ ms: performance.now() - loader.startTime, loadingMs: seen === null ? null : seen - loader.startTime, ended });
          } else requestAnimationFrame(check);
        };
        check();
      }),
  );
  if (TRACE) addMainThreadTimes(JSON.parse((await browser.stopTracing()).toString()).traceEvents, ms);
  await (profile ? page.close() : context.close());
  if (loadingMs !== null) flashes.set(origin, [...(flashes.get(origin) || []), loadingMs]);
  for (const [what, at] of Object.entries(ended)) milestones.set(what, [...(milestones.get(what) || []), at]);
  return ms;
}

/** For each of the widget's requests, when it ended in each load (ms from the loader's request). */
const milestones = new Map();

/** For each origin, when each load that drew "Loading" for a frame or more first drew it. */
const flashes = new Map();
function flashed(origin) {
  const seen = flashes.get(origin) || [];
  const when = seen.length ? ` (first drawn at a median ${medianOf(seen).toFixed(0)} ms)` : "";
  return `"Loading" drawn before the form in ${seen.length} of ${LOADS}${when}`;
}

/** Drops what the uncounted first visits (WARM=1) left in the per-load records above. */
function forgetFirstVisits() {
  flashes.clear();
  milestones.clear();
  partTotals.clear();
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (COMPARE) {
  if (WARM) {
    await loadOnce(base);
    await loadOnce(COMPARE);
    forgetFirstVisits();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < LOADS; i++) {
    // Each goes first in half the pairs, so neither always runs on the other's leftovers.
    if (i % 2) {
      b.push(await loadOnce(COMPARE));
      a.push(await loadOnce(base));
    } else {
      a.push(await loadOnce(base));
      b.push(await loadOnce(COMPARE));
    }
  }
  await browser.close();
  const diffs = a.map((ms, i) => ms - b[i]);
  const faster = diffs.filter((d) => d < 0).length;
  console.log(`A ${base}: median ${medianOf(a).toFixed(0)} ms; B ${COMPARE}: median ${medianOf(b).toFixed(0)} ms (${LOADS} pairs)`);
  console.log(`A − B per pair: median ${medianOf(diffs).toFixed(0)} ms; A faster in ${faster} of ${LOADS}`);
  console.log(`A: ${flashed(base)}; B: ${flashed(COMPARE)}`);
  process.exit(0);
}

if (WARM) {
  await loadOnce(base); // the first visit, which fills the cache
  forgetFirstVisits();
}
const times = [];
for (let i = 0; i < LOADS; i++) times.push(await loadOnce(base));
await browser.close();
times.sort((a, b) => a - b);
const median = medianOf(times);
const slowed = (SLOWDOWN > 1 ? `, CPU ${SLOWDOWN}× slower` : "") + (NETWORK ? `, ${NETWORK_NAME}` : "") + (HINTS ? ", preload hints" : "") + (TRACE ? ", traced" : "");
const kind = WARM ? "returning-payer loads (warm cache)" : "cold loads";
console.log(`script tag start → interactive form, ${LOADS} ${kind}${slowed}: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[LOADS - 1].toFixed(0)})`);
console.log(flashed(base));
const verdict = (ok) => (ok ? "within budget" : "OVER BUDGET");
console.log(`budget: download ${totalKb.toFixed(1)} KB brotli of ${BUDGET_KB} KB: ${verdict(totalKb <= BUDGET_KB)}`);
if (SLOWDOWN === 1 && !TRACE && !WARM && !NETWORK && !HINTS) {
  console.log(`budget: median ${median.toFixed(0)} ms of ${BUDGET_MS} ms: ${verdict(median <= BUDGET_MS)}`);
}
if (TIMELINE) {
  console.log("requests ended, median ms from the loader's request:");
  for (const what of ["loader", "order", "glue", "wasm"]) {
    if (milestones.has(what)) console.log(`${medianOf(milestones.get(what)).toFixed(1).padStart(8)}  ${what}`);
  }
}
if (TRACE) {
  console.log("main thread per load, traced (ms):");
  const order = [...Object.values(MAIN_THREAD_PARTS), "evaluating the loader"];
  for (const part of order) {
    if (partTotals.has(part)) console.log(`${(partTotals.get(part) / LOADS).toFixed(1).padStart(8)}  ${part}`);
  }
}
