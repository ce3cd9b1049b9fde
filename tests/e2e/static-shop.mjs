// The static shop (dist/shop) as the end-to-end tests drive it: opening it, what its page heard,
// editing its HTML as a merchant's server would, and the release build's manifest; the shop under
// another policy, from a server in front of the proxy (withShopPolicy); and a page of a test's own
// that embeds the built files (withCdnPage).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { expect } from "@playwright/test";
import { expectAsDeclared } from "./declarations.mjs";
import config, { PROXY_PORT } from "./playwright.config.mjs";

/** Runs in the page before its own scripts: counts its live timers and its window and document
 *  listeners in `window.__live`. Written in the browser floor's syntax, for the engines tier's
 *  Chromium 64 too. */
export function countLive() {
  const live = { intervals: new Set(), timeouts: new Set(), windowListeners: 0, documentListeners: 0 };
  window.__live = live;
  const setI = window.setInterval, clearI = window.clearInterval;
  const setT = window.setTimeout, clearT = window.clearTimeout;
  window.setInterval = function (...a) { const id = setI.apply(this, a); live.intervals.add(id); return id; };
  window.clearInterval = function (id) { live.intervals.delete(id); return clearI.call(this, id); };
  window.setTimeout = function (f, ...a) {
    const id = setT.call(this, (...x) => { live.timeouts.delete(id); return typeof f === "function" ? f(...x) : undefined; }, ...a);
    live.timeouts.add(id);
    return id;
  };
  window.clearTimeout = function (id) { live.timeouts.delete(id); return clearT.call(this, id); };
  const add = window.addEventListener, remove = window.removeEventListener;
  window.addEventListener = function (...a) { live.windowListeners += 1; return add.apply(this, a); };
  window.removeEventListener = function (...a) { live.windowListeners -= 1; return remove.apply(this, a); };
  const addOn = document.addEventListener, removeOn = document.removeEventListener;
  document.addEventListener = function (...a) { live.documentListeners += 1; return addOn.apply(this, a); };
  document.removeEventListener = function (...a) { live.documentListeners -= 1; return removeOn.apply(this, a); };
}

/** Runs in the page: its live timers and its window and document listeners, as countLive
 *  counts them. */
export function liveCounts() {
  return {
    timers: window.__live.intervals.size + window.__live.timeouts.size,
    windowListeners: window.__live.windowListeners,
    documentListeners: window.__live.documentListeners,
  };
}

/** Records CSP violations and page errors, and counts live timers and window and document
 *  listeners (see countLive). */
export async function watch(page) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|internal error/.test(m.text())) problems.push(m.text());
  });
  await page.addInitScript(countLive);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

/** --dollr-color-primary in www/shop/shop.css, as a computed colour. */
export const SHOP_PRIMARY = "rgb(138, 59, 18)";
/** The same, for theme="dark". */
export const SHOP_PRIMARY_DARK = "rgb(242, 166, 90)";

/** Opens the static shop and waits for its first checkout's form; `goto` is page.goto's options
 *  (a page whose own script is held still fires DOMContentLoaded, not load). */
export async function openStaticShop(page, goto = {}) {
  await page.goto("/shop/", goto);
  const widget = page.locator("dollr-checkout").first();
  await expect(widget.getByTestId("payment-form")).toBeVisible();
  const heading = await widget.getByTestId("order-summary").getByRole("heading").textContent();
  return { widget, number: heading.split("·")[1].trim() };
}

/** Runs in the page: the events the static shop heard, from its list, as `{ name, detail }`. */
export function heardEvents() {
  return [...document.querySelectorAll("[data-testid=events] li")].map((li) => ({
    name: li.dataset.event,
    detail: JSON.parse(li.textContent.slice(li.dataset.event.length + 1)),
  }));
}

/** Checks the events the static shop heard (see heardEvents) for its demo order `number` paid in
 *  dollars by MTN under `reference`: `ready` first, the statuses from editing to succeeded, and
 *  `success` with its documented detail; every event with exactly the fields
 *  dollr-checkout.d.ts declares, with declared values. */
export function expectPaidEvents(seen, number, reference) {
  expect(seen[0]).toEqual({ name: "ready", detail: { source_number: number, total: "25", currency: "USD", methods: expect.arrayContaining(["MTN_MOMO_LBR", "CREDIT_CARD"]) } });
  expect(seen.filter((e) => e.name === "status").map((e) => e.detail.status)).toEqual(["editing", "sending", "waiting", "succeeded"]);
  expect(seen.find((e) => e.name === "success").detail).toEqual({ reference_id: reference, amount: "25.63", currency: "USD", method: "MTN_MOMO_LBR", source_number: number });
  expectAsDeclared(seen);
}

/** The events the static shop's page heard (see heardEvents). */
export function events(page) {
  return page.evaluate(heardEvents);
}

/** A page stylesheet that would break a widget living in the page: every property reset,
 *  buttons hidden, fields invisible. */
export const HOSTILE_CSS =
  "* { all: unset !important; }\nbutton { display: none !important; }\ninput { visibility: hidden !important; }\n";

/** Runs in the page: adds `css` as a stylesheet of the page's own (a constructed one, which a
 *  strict CSP allows as it allows the page's files). Engines without constructed stylesheets
 *  (Chrome before 73) get its rules at the end of the page's last stylesheet, through the CSSOM,
 *  which the policy allows too. */
export function adoptStylesheet(css) {
  if (!("adoptedStyleSheets" in document)) {
    const last = document.styleSheets[document.styleSheets.length - 1];
    for (const rule of css.split("}").filter((text) => text.trim())) last.insertRule(`${rule}}`, last.cssRules.length);
    return;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Runs in the page: the box of the element Stripe's card field is mounted in, its padding in
 *  ems, and its outline. */
export function cardFieldBox(el) {
  const s = getComputedStyle(el);
  const em = parseFloat(s.fontSize);
  return { display: s.display, padding: [s.paddingTop, s.paddingLeft].map((p) => Math.round((parseFloat(p) / em) * 100) / 100), outline: s.outlineStyle };
}

/** Serves the responses to URLs matching `patterns` (DevTools URL patterns) through
 *  `edit(bytes, url)`, which returns a Buffer or a string, by DevTools' Fetch domain: unlike
 *  page.route, it leaves the browser's cache and preload matching as a payer's browser has them. */
export async function editResponses(page, patterns, edit) {
  const devtools = await page.context().newCDPSession(page);
  devtools.on("Fetch.requestPaused", async (paused) => {
    const { body, base64Encoded } = await devtools.send("Fetch.getResponseBody", { requestId: paused.requestId });
    const edited = edit(base64Encoded ? Buffer.from(body, "base64") : Buffer.from(body), paused.request.url);
    await devtools.send("Fetch.fulfillRequest", {
      requestId: paused.requestId,
      responseCode: paused.responseStatusCode,
      responseHeaders: paused.responseHeaders.filter((h) => !/^content-(length|encoding)$/i.test(h.name)),
      body: Buffer.from(edited).toString("base64"),
    });
  });
  await devtools.send("Fetch.enable", { patterns: patterns.map((urlPattern) => ({ urlPattern, requestStage: "Response" })) });
}

/** Serves the static shop's HTML through `edit` (see editResponses). */
export function editShopHtml(page, edit) {
  return editResponses(page, ["*/shop/"], (bytes) => edit(bytes.toString()));
}

/** An edit of the static shop's HTML (for editShopHtml or withShopPolicy) that renders
 *  `checkouts`, markup of `<dollr-checkout>` elements, into the page as the shop's server would,
 *  where the shop's own script otherwise adds one with a new order. */
export function renderCheckouts(checkouts) {
  return (html) => {
    const edited = html.replace('<div id="checkouts"></div>', `<div id="checkouts">${checkouts}</div>`);
    if (edited === html) throw new Error("the shop's page has no empty #checkouts to render into");
    return edited;
  };
}

/** Launch options for tests whose rebuilt page (editShopHtml) loads from another loopback origin.
 *  Such a page has no server address, which Chromium counts as the public internet, and its Local
 *  Network Access check then refuses every request to a loopback origin other than the page's
 *  own. A real shop, its CDN and Stripe are all on the internet and never meet that check, so
 *  these options turn it off. */
export const REBUILT_PAGE_LAUNCH_OPTIONS = {
  ...config.use.launchOptions,
  args: [...config.use.launchOptions.args, "--disable-features=LocalNetworkAccessChecks"],
};

/** The release build's manifest: the hashed names and the four files' integrity digests. */
export async function manifest(request) {
  const files = await (await request.get("/cdn/dollr-checkout.manifest.json")).json();
  expect(files.loader).toBe("dollr-checkout.js");
  for (const key of ["loader", "glue", "wasm", "stylesheet"]) {
    const body = await (await request.get(`/cdn/${files[key]}`)).body();
    expect(files.integrity[key], key).toBe(`sha384-${createHash("sha384").update(body).digest("base64")}`);
  }
  // The loader's pinned copy: the same bytes, under a name carrying their hash, kept for good.
  expect(files.pinnedLoader).toMatch(/^dollr-checkout\.[0-9a-f]{12}\.js$/);
  const pinned = await request.get(`/cdn/${files.pinnedLoader}`);
  expect(await pinned.body()).toEqual(await (await request.get(`/cdn/${files.loader}`)).body());
  expect(pinned.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  return files;
}

/** The console messages of `type` ("error", "warning", …) `page` logs from now on, as they come. */
export function consoleMessages(page, type) {
  const messages = [];
  page.on("console", (m) => { if (m.type() === type) messages.push(m.text()); });
  return messages;
}

/** The console errors `page` logs from now on, as they come. */
export function consoleErrors(page) {
  return consoleMessages(page, "error");
}

/** Opens the static shop, whose checkout cannot load: the page hears `dollr:error` LoadFailed
 *  (after the loader's retries, which wait 1 s and 3 s). */
export async function openStaticShopExpectingLoadFailed(page) {
  await page.goto("/shop/");
  await expect.poll(async () => (await events(page)).find((e) => e.name === "error")?.detail, { timeout: 20_000 }).toEqual({
    code: "LoadFailed",
    message: "The checkout could not be loaded.",
  });
  expectAsDeclared(await events(page));
}

/** A CDN on a loopback port of its own serving the built files, and at `/` a page that embeds
 *  the checkout from it and lists the `dollr:error` codes it hears, sent with `headers`, its own
 *  `script` run first, the checkout's `proxy` and `grant` as given; `wasm` edits the wasm's
 *  bytes. Runs `use(origin, asked)`, `asked` listing the wasm's requests. For any browser: the
 *  engines tier drives it too. */
export async function withCdnPage({ headers = {}, script = "", proxy = "/api/dollr", grant = "not-needed", wasm = (body) => body }, use) {
  const cdn = new URL("../../dist/cdn/", import.meta.url);
  const page = `<!doctype html><title>shop</title><ol id="heard"></ol>
    <script>${script}</script>
    <script>document.addEventListener("dollr:error", (e) => { heard.append(Object.assign(document.createElement("li"), { textContent: e.detail.code })); });</script>
    <script src="/cdn/dollr-checkout.js" defer></script>
    <dollr-checkout proxy="${proxy}" grant="${grant}"></dollr-checkout>`;
  const asked = [];
  const server = createServer((req, res) => {
    const name = req.url.split("?")[0].replace(/^\/cdn\//, "");
    if (req.url === "/") return res.writeHead(200, { "Content-Type": "text/html", ...headers }).end(page);
    if (name.includes("/") || !/^dollr-checkout[\w.-]*\.(js|css|wasm)$/.test(name)) return res.writeHead(404).end();
    let body = readFileSync(new URL(name, cdn));
    const type = { js: "text/javascript", css: "text/css", wasm: "application/wasm" }[name.split(".").pop()];
    if (type === "application/wasm") {
      asked.push(req.url);
      body = wasm(body);
    }
    res.writeHead(200, { "Content-Type": type }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await use(`http://127.0.0.1:${server.address().port}`, asked);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** Starts the static shop's front: a server of its own in front of the proxy, as a shop's web
 *  server is, serving the shop at its origin + "/shop/" under its policy with `script-src` set
 *  to `scriptSrc`. It forwards every request to the proxy as it came, `Host` included, so the
 *  shop's calls stay same-origin, and rewrites only the shop's page, whose HTML `edit` may change
 *  too. Its `origin`, and `close()`. */
export async function startShopFront(scriptSrc, edit = (html) => html) {
  const server = createServer((req, res) => {
    const page = req.url.split("?")[0] === "/shop/";
    const headers = { ...req.headers };
    // The page in plain text and whole, to rewrite.
    if (page) for (const name of ["accept-encoding", "if-none-match", "if-modified-since"]) delete headers[name];
    const upstream = httpRequest({ host: "127.0.0.1", port: PROXY_PORT, method: req.method, path: req.url, headers }, (answer) => {
      if (!page) {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
        return;
      }
      let html = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk) => (html += chunk));
      answer.on("end", () => {
        const policed = html.replace(/script-src [^;"]*/, `script-src ${scriptSrc}`);
        if (policed === html) return res.writeHead(500).end("the shop's page has no script-src to rewrite");
        const { "content-length": _, etag: __, ...kept } = answer.headers;
        res.writeHead(answer.statusCode, kept).end(edit(policed));
      });
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Runs `use(origin)` with the static shop's front (startShopFront) at `origin`. */
export async function withShopPolicy(scriptSrc, use, edit = (html) => html) {
  const front = await startShopFront(scriptSrc, edit);
  try {
    await use(front.origin);
  } finally {
    front.close();
  }
}

/** What the loader logs when the page's policy refuses the widget's WebAssembly (before the
 *  browser's error). */
export const WASM_REFUSED = "dollr-checkout: the page's Content-Security-Policy does not allow WebAssembly: its script-src needs 'wasm-unsafe-eval', or 'unsafe-eval' in browsers older than that keyword (Chrome 97, Safari 16)";

/** The `dollr:error` codes the page of withCdnPage heard. */
export const heardCodes = (page) => page.evaluate(() => [...document.querySelectorAll("#heard li")].map((li) => li.textContent));

/** A loopback URL where nothing listens (a port just freed). */
export async function nowhere() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://localhost:${port}`;
}
