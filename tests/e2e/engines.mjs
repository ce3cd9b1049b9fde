// The browser engines besides Chromium, for the end-to-end tests (*.engines.mjs):
// - WebKit, the engine of Safari and of every browser on an iPhone: WebKitGTK's MiniBrowser,
//   driven over W3C WebDriver by Debian's WebKitWebDriver (package webkit2gtk-driver);
// - Gecko, Firefox's engine: Debian's Firefox ESR, driven over WebDriver BiDi, which it speaks
//   itself;
// - Chromium 64, the oldest Chrome of the README's browser floor, over the DevTools protocol.
// Playwright's own builds of these browsers are a download this machine cannot make, and it
// speaks no protocol as old as Chromium 64's, so the tests talk the three protocols themselves,
// with Playwright's runner, `request` and `expect`. scripts/setup.sh installs the browsers.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { test as base, expect } from "@playwright/test";
import WebSocket from "ws";
import { WCAG_TAGS, executionsFor } from "./helpers.mjs";
import { crowded, pastTheScreen } from "./layout.mjs";
import { countLive, startShopFront } from "./static-shop.mjs";

/** WebKitGTK's MiniBrowser: WEBKIT_MINIBROWSER, or where Debian puts it for this machine's
 *  architecture; null when it is not installed. */
const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ||
  readdirSync("/usr/lib")
    .map((dir) => `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`)
    .find((path) => existsSync(path)) ||
  null;
const WEBKIT_PORT = Number(process.env.E2E_WEBKIT_DRIVER_PORT || 18789);
const FIREFOX = process.env.E2E_FIREFOX || "firefox-esr";
const FIREFOX_PORT = Number(process.env.E2E_FIREFOX_PORT || 18783);

/** WebDriver's codes for the special keys the tests press. */
export const KEYS = { Backspace: "\uE003", Enter: "\uE007", Tab: "\uE004" };

/** Runs in the page: records its CSP violations, from then on, in `window.__violations` (once
 *  per page however often it runs). */
function recordViolations() {
  if (window.__violations) return;
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

/** The static shop's `script-src` as the README gives it for browsers older than
 *  'wasm-unsafe-eval'. */
export const OLDER_BROWSERS_SCRIPT_SRC = "'self' 'unsafe-eval'";

/** A page in one of the engines, with what the tests need of it. Elements are found in a
 *  checkout's shadow root by `data-testid`; `n` picks the checkout (0 the first on the page).
 *  Each engine's class provides `goto`, `reload`, `evaluate`, `clickElement`, `press` and
 *  `openAtWidth`; everything else is built on them. What runs in the page is written in the
 *  syntax of the README's browser floor (no `?.` or `??`), which Chromium 64 parses. */
class Tab {
  constructor(baseURL) {
    this.baseURL = baseURL;
    /** Whether every page records its CSP violations, and counts its live timers and listeners
     *  (`countLive`), before its own first script runs. */
    this.recordsFromStart = false;
    /** What holds the checkouts' shadow roots: `<dollr-checkout>`, or the element a page mounted
     *  one on with the JS API. */
    this.hosts = "dollr-checkout";
  }

  /** axe-core's WCAG 2.1 A and AA violations in checkout `n`, as `rule: target summary` lines
   *  (as a11y.spec.mjs reports Chromium's); axe is added to the page first if it is not there. */
  async audit(n = 0) {
    if (!(await this.evaluate(() => Boolean(window.axe)))) await this.runScript(AXE);
    await this.evaluate((hosts, n, tags) => {
      window.__audit = null;
      window.axe
        .run(document.querySelectorAll(hosts)[n], { runOnly: { type: "tag", values: tags } })
        .then(
          // Not flatMap, which Chromium 64 lacks.
          (r) => { window.__audit = [].concat(...r.violations.map((v) => v.nodes.map((node) => `${v.id}: ${JSON.stringify(node.target)} ${node.failureSummary || ""}`))); },
          (error) => { window.__audit = [`axe failed: ${error}`]; },
        );
    }, this.hosts, n, WCAG_TAGS);
    let found = null;
    await expect.poll(async () => (found = await this.evaluate(() => window.__audit)), { timeout: 20_000 }).not.toBeNull();
    return found;
  }

  /** Records the page's CSP violations from now on, where the engine has not done so since the
   *  page began (`recordsFromStart`). */
  recordViolations() {
    return this.evaluate(recordViolations);
  }

  /** The page's CSP violations recorded so far, as `directive blocked-URI`. */
  violations() {
    return this.evaluate(() => window.__violations);
  }

  /** A reference to the first element matching `selector` in the page or any open shadow root
   *  in it, or null. */
  find(selector) {
    return this.evaluate((s) => {
      const search = (root) =>
        root.querySelector(s) ||
        [...root.querySelectorAll("*")].filter((el) => el.shadowRoot).map((el) => search(el.shadowRoot)).find(Boolean) ||
        null;
      return search(document);
    }, selector);
  }

  /** A reference to the element of `testId` in checkout `n`'s shadow root, or null. */
  inCheckout(testId, n = 0) {
    return this.evaluate(
      (hosts, id, i) => {
        const host = document.querySelectorAll(hosts)[i];
        return (host && host.shadowRoot && host.shadowRoot.querySelector(`[data-testid="${id}"]`)) || null;
      },
      this.hosts,
      testId,
      n,
    );
  }

  /** The text of the element of `testId` in checkout `n`, each run of white space (no-break
   *  spaces too) as one space, as Playwright's `toHaveText` reads it; null while there is none. */
  async text(testId, n = 0) {
    const element = await this.inCheckout(testId, n);
    return element && this.evaluate((el) => el.textContent.replace(/\s+/g, " ").trim(), element);
  }

  /** The order's number in checkout `n`'s summary heading. */
  async orderNumber(n = 0) {
    const heading = await this.evaluate((summary) => summary.querySelector("h2").textContent, await this.inCheckout("order-summary", n));
    return heading.split("·")[1].trim();
  }

  /** Waits for the element of `testId` in checkout `n` and returns its reference. Where it does
   *  not come, the failure says what the checkout shows instead (see `shows`). */
  async waitFor(testId, n = 0, timeout = 10_000) {
    try {
      await expect.poll(() => this.inCheckout(testId, n), { message: `${testId} in checkout ${n}`, timeout }).not.toBeNull();
    } catch (error) {
      throw new Error(`${error.message}\ncheckout ${n} shows: ${await this.shows(n)}`);
    }
    return this.inCheckout(testId, n);
  }

  /** What checkout `n` shows, as one line of its text, and the events the static shop's page
   *  listed as it heard them: for a failure's message, as the log is all a CI run keeps. */
  shows(n = 0) {
    return this.evaluate(
      (hosts, i) => {
        const host = document.querySelectorAll(hosts)[i];
        const text = host
          ? [].slice.call(host.shadowRoot ? host.shadowRoot.children : []).concat(host).map((part) => part.innerText).join(" ")
          : "(no checkout)";
        const heard = [].map.call(document.querySelectorAll("[data-testid=events] li"), (li) => li.dataset.event);
        return `${text.replace(/\s+/g, " ").trim().slice(0, 500)}${heard.length ? ` | the page heard: ${heard.join(", ")}` : ""}`;
      },
      this.hosts,
      n,
    ).catch((error) => `(not readable: ${error.message})`);
  }

  /** Waits for an element matching `selector` anywhere in the page (see `find`), the page's own
   *  controls or Stripe's card field, and returns its reference. */
  async waitForPage(selector, timeout = 10_000) {
    await expect.poll(() => this.find(selector), { message: selector, timeout }).not.toBeNull();
    return this.find(selector);
  }

  /** Types `text` into the element of `testId` in checkout `n`. */
  async type(testId, text, n = 0) {
    await this.typeInto(await this.waitFor(testId, n), text);
  }

  /** Types `text` into the element matching `selector` anywhere in the page. */
  async typePage(selector, text) {
    await this.typeInto(await this.waitForPage(selector), text);
  }

  /** Focuses `element` and types `text` with the engine's own key events, as a keyboard would. */
  async typeInto(element, text) {
    await this.evaluate((el) => el.focus(), element);
    for (const key of text) await this.press(key);
  }

  /** Clicks the element of `testId` in checkout `n` as a pointer would. */
  async click(testId, n = 0) {
    await this.clickElement(await this.waitFor(testId, n));
  }

  /** Clicks the element matching `selector` anywhere in the page. */
  async clickPage(selector) {
    await this.clickElement(await this.waitForPage(selector));
  }

  /** Where the keyboard's focus is: in checkout `n`, the `data-testid` of the focused element or
   *  of its nearest ancestor that has one, and its tag or "heading" (`["failure", "heading"]`);
   *  otherwise the page's focused element as `#id` or its tag. */
  focused(n = 0) {
    return this.evaluate(
      (hosts, i) => {
        const host = document.querySelectorAll(hosts)[i];
        const active = document.activeElement;
        if (host && active === host && host.shadowRoot.activeElement) {
          const el = host.shadowRoot.activeElement;
          const heading = el.matches("h1, h2, h3, h4, h5, h6, [role=heading]");
          const marked = el.closest("[data-testid]");
          return [marked ? marked.dataset.testid : null, heading ? "heading" : el.localName];
        }
        return active.id ? `#${active.id}` : active.localName;
      },
      this.hosts,
      n,
    );
  }
}

/** One request to WebKitWebDriver; its `value`, or an Error with WebDriver's message. */
async function webDriver(method, path, body) {
  const response = await fetch(`http://127.0.0.1:${WEBKIT_PORT}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value.error}: ${value.message}`);
  return value;
}

/** axe-core's script, which `audit` adds to a page. */
const AXE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** The key under which WebDriver hands over a reference to an element. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A MiniBrowser window, over W3C WebDriver. */
class WebKitTab extends Tab {
  constructor(session, baseURL) {
    super(baseURL);
    this.path = `/session/${session}`;
  }

  /** Loads `path` (relative to the proxy) and waits for the page's load. */
  goto(path) {
    return this.navigate("url", { url: new URL(path, this.baseURL).href });
  }

  /** Reloads the page and waits for its load. */
  reload() {
    return this.navigate("refresh", {});
  }

  /** Sends the navigation command `command`, and sends it once more if WebKitWebDriver answers
   *  with an error other than a timeout: it once failed a reload of a page the proxy served, in
   *  CI, and not in 17 runs of that test here. The first error goes to the log; a second fails
   *  the test, so a page that makes every load fail is still caught. */
  async navigate(command, body) {
    try {
      return await webDriver("POST", `${this.path}/${command}`, body);
    } catch (error) {
      if (/: timeout: /.test(error.message)) throw error;
      console.warn(`${error.message} (sending it again)`);
      return webDriver("POST", `${this.path}/${command}`, body);
    }
  }

  /** Runs `fn` in the page with `args` (JSON values or element references); its result. */
  evaluate(fn, ...args) {
    return webDriver("POST", `${this.path}/execute/sync`, { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** Runs the script `source` in the page, as a page's own script would run. */
  runScript(source) {
    return webDriver("POST", `${this.path}/execute/sync`, { script: source, args: [] });
  }

  /** Clicks `element` as a pointer would (WebDriver scrolls it into view first). */
  clickElement(element) {
    return webDriver("POST", `${this.path}/element/${element[ELEMENT]}/click`, {});
  }

  /** Presses `key` (a character, or one of KEYS) on the focused element. */
  press(key) {
    return webDriver("POST", `${this.path}/actions`, {
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value: key }, { type: "keyUp", value: key }] }],
    });
  }

  /** Opens `path` in a frame of `width` × `height` CSS pixels, the screen of a phone that size
   *  (MiniBrowser's window is no narrower than its toolbar, 447 px), and runs what follows in it.
   *  The frame is put in a page of the same origin (the demo's, emptied), as WebKit gives no
   *  focus to a field in a frame of another origin without the payer's touch. */
  async openAtWidth(path, width, height) {
    await this.goto("/");
    const frame = await this.evaluate(
      (src, w, h) => {
        const frame = document.createElement("iframe");
        Object.assign(frame, { src, width: w, height: h });
        frame.style.border = "0";
        document.body.replaceChildren(frame);
        return frame;
      },
      path,
      width,
      height,
    );
    await webDriver("POST", `${this.path}/frame`, { id: frame });
  }
}

/** A connection to a browser speaking JSON commands over a WebSocket: Firefox's WebDriver BiDi
 *  endpoint, or a DevTools protocol target of Chromium's. `send` a command, get its result;
 *  `event` waits for one of its events. */
class Channel {
  constructor(socket, name) {
    this.socket = socket;
    this.name = name;
    this.next = 0;
    this.waiting = new Map();
    this.listeners = new Set();
    socket.on("message", (data) => {
      const message = JSON.parse(data);
      const reply = this.waiting.get(message.id);
      if (!reply) {
        for (const listener of this.listeners) listener(message);
        return;
      }
      this.waiting.delete(message.id);
      reply(message);
    });
  }

  /** Opens a connection to `url`; rejects while nothing listens there. */
  static async connect(url, name) {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return new Channel(socket, name);
  }

  /** Sends `method` with `params`; its result, or an Error with the browser's message (BiDi's
   *  `error` and `message`, or the DevTools protocol's `error.message`). */
  async send(method, params = {}) {
    this.next += 1;
    const id = this.next;
    const reply = new Promise((resolve) => this.waiting.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    const message = await reply;
    if (message.type === "error") throw new Error(`${this.name} ${method}: ${message.error}: ${message.message}`);
    if (message.error) throw new Error(`${this.name} ${method}: ${message.error.message}`);
    return message.result;
  }

  /** The next event `method` to arrive, once it does. */
  event(method) {
    return new Promise((resolve) => {
      const listener = (message) => {
        if (message.method !== method) return;
        this.listeners.delete(listener);
        resolve(message.params);
      };
      this.listeners.add(listener);
    });
  }

  close() {
    this.socket.close();
  }
}

/** A Firefox tab, over WebDriver BiDi, in a user context of its own (its own storage and
 *  cookies, as a fresh WebDriver session has). */
class FirefoxTab extends Tab {
  constructor(bidi, context, baseURL) {
    super(baseURL);
    this.bidi = bidi;
    this.context = context;
    this.recordsFromStart = true; // by a preload script: see the `tab` fixture
  }

  /** Loads `path` (relative to the proxy) and waits for the page's load. */
  goto(path) {
    return this.bidi.send("browsingContext.navigate", { context: this.context, url: new URL(path, this.baseURL).href, wait: "complete" });
  }

  /** Reloads the page and waits for its load. */
  reload() {
    return this.bidi.send("browsingContext.reload", { context: this.context, wait: "complete" });
  }

  /** Runs `fn` in the page with `args` (JSON values or element references); its result: JSON
   *  values come back through JSON, an element as a reference to it. */
  async evaluate(fn, ...args) {
    const isElement = args.map((arg) => Boolean(arg && arg.sharedId));
    const declaration = `(...raw) => {
      const kinds = ${JSON.stringify(isElement)};
      const result = (${fn}).apply(null, raw.map((arg, i) => (kinds[i] ? arg : JSON.parse(arg))));
      return result instanceof Node ? result : JSON.stringify(result === undefined ? null : result);
    }`;
    const answer = await this.bidi.send("script.callFunction", {
      functionDeclaration: declaration,
      arguments: args.map((arg, i) => (isElement[i] ? { sharedId: arg.sharedId } : { type: "string", value: JSON.stringify(arg) })),
      target: { context: this.context },
      awaitPromise: false,
    });
    if (answer.type === "exception") throw new Error(`in the page: ${answer.exceptionDetails.text}`);
    const { result } = answer;
    return result.type === "node" ? { sharedId: result.sharedId } : JSON.parse(result.value);
  }

  /** Runs the script `source` in the page, as a page's own script would run. */
  async runScript(source) {
    const answer = await this.bidi.send("script.evaluate", { expression: source, target: { context: this.context }, awaitPromise: false });
    if (answer.type === "exception") throw new Error(`in the page: ${answer.exceptionDetails.text}`);
  }

  /** Clicks the middle of `element` as a pointer would, once scrolled into view. */
  async clickElement(element) {
    await this.evaluate((el) => el.scrollIntoView({ block: "center" }), element);
    await this.bidi.send("input.performActions", {
      context: this.context,
      actions: [
        {
          type: "pointer",
          id: "mouse",
          actions: [
            { type: "pointerMove", x: 0, y: 0, origin: { type: "element", element: { sharedId: element.sharedId } } },
            { type: "pointerDown", button: 0 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ],
    });
  }

  /** Presses `key` (a character, or one of KEYS) on the focused element. */
  press(key) {
    return this.bidi.send("input.performActions", {
      context: this.context,
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value: key }, { type: "keyUp", value: key }] }],
    });
  }

  /** Opens `path` with the tab's viewport `width` × `height` CSS pixels. */
  async openAtWidth(path, width, height) {
    await this.bidi.send("browsingContext.setViewport", { context: this.context, viewport: { width, height } });
    await this.goto(path);
  }
}

/** Checks the page in `tab` as a payer on a small screen sees it: nothing reaches past the
 *  screen's edges, and nothing in the checkout is drawn closer than its stylesheet spaces it. */
export async function expectDrawnWithin(tab) {
  expect(await tab.evaluate(pastTheScreen)).toEqual([]);
  expect(await tab.evaluate(crowded)).toEqual([]);
}

/** Pays order `number`, open in `tab`, by card: a 3-D Secure card typed into Stripe's card field
 *  (the sandbox's stand-in), the challenge approved. Checks that the card form passes an axe
 *  audit, that the receipt names the card, and that the order is charged once, by card. */
export async function payByCardWith3DS(tab, request, number) {
  await tab.click("kind-card");
  await tab.typePage('[data-testid="stripe-card-number"]', "4000 0027 6000 3184");
  await tab.typePage('[data-testid="stripe-card-expiry"]', "12 / 34");
  await tab.typePage('[data-testid="stripe-card-cvc"]', "123");
  await expect.poll(() => tab.text("quote-amount")).toBe("$26.11");
  expect(await tab.audit()).toEqual([]);
  await tab.click("pay");
  await tab.clickPage('[data-testid="stripe-challenge-approve"]');
  await expect.poll(() => tab.text("success"), { timeout: 15_000 }).toContain("Payment complete");
  expect(await tab.text("receipt-operator")).toBe("Visa ending in 3184");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => [e.method, e.status])).toEqual([["CREDIT_CARD", "COMPLETED"]]);
}

/** Pays order `number`, open in `tab`, with the slowly approved number, reloads the page while
 *  the payment is processing, and checks that the new page (its script's global is new) resumes
 *  that attempt on the waiting screen, never the form again, and that it completes, charged
 *  once. The execution. */
export async function reloadWhileWaiting(tab, request, number) {
  await tab.type("phone", "088 000 4444");
  await expect.poll(() => tab.inCheckout("quote")).not.toBeNull();
  await tab.click("pay");
  await tab.waitFor("waiting");
  await expect.poll(async () => (await executionsFor(request, number)).executions.length).toBe(1);
  await tab.evaluate(() => { window.beforeTheReload = true; });
  await tab.reload();
  expect(await tab.evaluate(() => window.beforeTheReload === undefined)).toBe(true);
  await tab.waitFor("waiting");
  expect(await tab.orderNumber()).toBe(number);
  expect(await tab.text("sent-to")).toBe("+231 88 000 4444");
  expect(await tab.inCheckout("phone")).toBeNull();
  await expect.poll(() => tab.text("success"), { timeout: 20_000 }).toContain("Payment complete");
  const { executions } = await executionsFor(request, number);
  expect(executions.map((e) => e.status)).toEqual(["COMPLETED"]);
  return executions[0];
}

/** The DevTools protocol's key events for the special keys (KEYS). */
const CDP_KEYS = {
  [KEYS.Backspace]: { key: "Backspace", code: "Backspace", windowsVirtualKeyCode: 8 },
  [KEYS.Enter]: { key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" },
  [KEYS.Tab]: { key: "Tab", code: "Tab", windowsVirtualKeyCode: 9 },
};

/** A tab of the oldest Chromium of the README's floor, over the DevTools protocol (version 1.2,
 *  as Chromium 64 speaks it), in a browser context of its own (its own storage and cookies). */
class ChromiumTab extends Tab {
  constructor(cdp, baseURL) {
    super(baseURL);
    this.cdp = cdp;
    this.recordsFromStart = true; // by a script added to every new document: see the `tab` fixture
    /** The text of what the tab's pages log with `console.error` (its first argument), as the
     *  DevTools protocol reports it once the fixture has enabled its Runtime domain. */
    this.consoleErrors = [];
    cdp.listeners.add(({ method, params }) => {
      if (method === "Runtime.consoleAPICalled" && params.type === "error") this.consoleErrors.push(String(params.args[0].value));
    });
  }

  /** Loads `path` (relative to the tab's base URL: in Chromium 64 the shop's front) and waits for the page's load. */
  goto(path) {
    return this.navigate("Page.navigate", { url: new URL(path, this.baseURL).href });
  }

  /** Reloads the page and waits for its load. */
  reload() {
    return this.navigate("Page.reload", {});
  }

  /** Sends `method` and waits for the page's load event. */
  async navigate(method, params) {
    const loaded = this.cdp.event("Page.loadEventFired");
    await this.cdp.send(method, params);
    await loaded;
  }

  /** Runs `fn` in the page with `args` (JSON values or element references); its result: JSON
   *  values come back through JSON, an element as a reference to it. */
  async evaluate(fn, ...args) {
    const isElement = args.map((arg) => Boolean(arg && arg.objectId));
    const declaration = `function (...raw) {
      const kinds = ${JSON.stringify(isElement)};
      const result = (${fn}).apply(null, raw.map((arg, i) => (kinds[i] ? arg : JSON.parse(arg))));
      return result instanceof Node ? result : JSON.stringify(result === undefined ? null : result);
    }`;
    // Chromium 64 calls a function only on an object: the page's global, looked up each time as
    // a navigation replaces it.
    const { result: global } = await this.cdp.send("Runtime.evaluate", { expression: "window" });
    const answer = await this.cdp.send("Runtime.callFunctionOn", {
      objectId: global.objectId,
      functionDeclaration: declaration,
      arguments: args.map((arg, i) => (isElement[i] ? { objectId: arg.objectId } : { value: JSON.stringify(arg) })),
    });
    if (answer.exceptionDetails) throw new Error(`in the page: ${answer.result.description ?? answer.exceptionDetails.text}`);
    const { result } = answer;
    return result.subtype === "node" ? { objectId: result.objectId } : JSON.parse(result.value);
  }

  /** Runs the script `source` in the page, as a page's own script would run. */
  async runScript(source) {
    const answer = await this.cdp.send("Runtime.evaluate", { expression: source });
    if (answer.exceptionDetails) throw new Error(`in the page: ${answer.exceptionDetails.text}`);
  }

  /** Clicks the middle of `element` as a pointer would, once scrolled into view. */
  async clickElement(element) {
    const { x, y } = await this.evaluate((el) => {
      el.scrollIntoView({ block: "center" });
      const box = el.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }, element);
    await this.cdp.send("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
    for (const type of ["mousePressed", "mouseReleased"]) {
      await this.cdp.send("Input.dispatchMouseEvent", { type, x, y, button: "left", clickCount: 1 });
    }
  }

  /** Presses `key` (a character, or one of KEYS) on the focused element. */
  async press(key) {
    const down = CDP_KEYS[key] ?? { key, text: key };
    await this.cdp.send("Input.dispatchKeyEvent", { type: "keyDown", ...down });
    await this.cdp.send("Input.dispatchKeyEvent", { type: "keyUp", ...down, text: undefined });
  }

  /** Opens `path` with the tab's viewport `width` × `height` CSS pixels. */
  async openAtWidth(path, width, height) {
    await this.cdp.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
    await this.goto(path);
  }
}

/** Preferences for a test profile: nothing fetched from Mozilla's servers, which this machine
 *  cannot reach (updates, telemetry, Safe Browsing lists, the captive-portal check). */
const FIREFOX_PREFS = {
  "app.update.disabledForTesting": true,
  "browser.safebrowsing.update.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "toolkit.telemetry.enabled": false,
};

/** Chromium 64, the oldest Chrome of the README's floor: a headless build of it that npm carries
 *  (chrome-aws-lambda 64.0.3264, which scripts/setup.sh installs), unpacked into target/ on first
 *  use. Playwright speaks a newer DevTools protocol than it does, so the tests speak it
 *  themselves. */
const CHROMIUM_FLOOR_PACKED = fileURLToPath(new URL("../../node_modules/chrome-aws-lambda/bin/chromium.br", import.meta.url));
const CHROMIUM_FLOOR = fileURLToPath(new URL("../../target/chromium-64/chromium", import.meta.url));

/** The path of Chromium 64, unpacked first where it is not yet. */
function chromiumFloor() {
  if (existsSync(CHROMIUM_FLOOR)) return CHROMIUM_FLOOR;
  if (!existsSync(CHROMIUM_FLOOR_PACKED)) throw new Error(`${CHROMIUM_FLOOR_PACKED} is missing: run scripts/setup.sh`);
  mkdirSync(join(CHROMIUM_FLOOR, ".."), { recursive: true });
  const unpacking = `${CHROMIUM_FLOOR}.${process.pid}`;
  writeFileSync(unpacking, brotliDecompressSync(readFileSync(CHROMIUM_FLOOR_PACKED)));
  chmodSync(unpacking, 0o755);
  renameSync(unpacking, CHROMIUM_FLOOR);
  return CHROMIUM_FLOOR;
}

/** Starts Chromium 64 headless on a DevTools port of its choosing (written to its profile's
 *  DevToolsActivePort), connected to its browser endpoint. */
async function startChromiumFloor() {
  const profile = mkdtempSync(join(tmpdir(), "dollr-chromium64-"));
  const chromium = spawn(
    chromiumFloor(),
    ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
    { stdio: "ignore" },
  );
  const exited = new Promise((resolve) => chromium.once("exit", resolve));
  const activePort = join(profile, "DevToolsActivePort");
  let port;
  await expect
    .poll(() => (port = existsSync(activePort) ? Number(readFileSync(activePort, "utf8").split("\n")[0]) : 0), { message: "Chromium 64 started", timeout: 30_000 })
    .toBeGreaterThan(0);
  const { webSocketDebuggerUrl } = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
  const browser = await Channel.connect(webSocketDebuggerUrl, "DevTools");
  return {
    engine: "chromium64",
    port,
    browser,
    close: async () => {
      browser.close();
      chromium.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts the engine's driver for a worker: WebKitWebDriver, or Firefox with its BiDi endpoint.
 *  Its `close()` stops it. */
async function startEngine(engine) {
  if (engine === "chromium64") return startChromiumFloor();
  if (engine === "webkit") {
    if (!MINIBROWSER) throw new Error("WebKitGTK's MiniBrowser is not installed: run scripts/setup.sh");
    if (!process.env.DISPLAY) throw new Error("WebKit needs a display: run this tier under xvfb-run -a (make test does)");
    const driver = spawn("WebKitWebDriver", [`--port=${WEBKIT_PORT}`, "--host=127.0.0.1"], { stdio: "ignore" });
    await expect.poll(() => webDriver("GET", "/status").then((s) => s.ready, () => false), { timeout: 10_000 }).toBe(true);
    return { engine, close: () => driver.kill() };
  }
  const profile = mkdtempSync(join(tmpdir(), "dollr-firefox-"));
  writeFileSync(join(profile, "user.js"), Object.entries(FIREFOX_PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${v});\n`).join(""));
  const firefox = spawn(FIREFOX, ["--headless", "--no-remote", "--profile", profile, `--remote-debugging-port=${FIREFOX_PORT}`], { stdio: "ignore" });
  const exited = new Promise((resolve) => firefox.once("exit", resolve));
  let bidi;
  await expect
    .poll(async () => (bidi = await Channel.connect(`ws://127.0.0.1:${FIREFOX_PORT}/session`, "BiDi").catch(() => null)) !== null, { message: `${FIREFOX} started`, timeout: 30_000 })
    .toBe(true);
  await bidi.send("session.new", { capabilities: {} });
  return {
    engine,
    bidi,
    close: async () => {
      await bidi.send("session.end").catch(() => {});
      firefox.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Playwright's `test` with a `tab` in the project's `engine` ("webkit", "firefox" or
 *  "chromium64"): one driver for the worker, a fresh session (WebKit), user context (Firefox) or
 *  browser context (Chromium 64) for each test, whose storage starts empty. In Firefox and
 *  Chromium 64 every page records its CSP violations from its start, by a script added to each
 *  new document; WebDriver gives WebKit none, so there a test records them from when it calls
 *  `recordViolations`.
 *  MiniBrowser needs a display: `make test` runs these under `xvfb-run`. */
export const test = base.extend({
  engine: ["webkit", { option: true, scope: "worker" }],
  /** For Chromium 64, the static shop's front (startShopFront) under the policy for browsers
   *  older than 'wasm-unsafe-eval', for the worker; elsewhere null. */
  shopFront: [
    async ({ engine }, use) => {
      if (engine !== "chromium64") return use(null);
      const front = await startShopFront(OLDER_BROWSERS_SCRIPT_SRC);
      await use(front.origin);
      front.close();
    },
    { scope: "worker" },
  ],
  /** In Chromium 64 the shop's front, which forwards all but the shop's page to the proxy. */
  baseURL: async ({ baseURL, shopFront }, use) => use(shopFront || baseURL),
  driver: [
    async ({ engine }, use) => {
      const driver = await startEngine(engine);
      await use(driver);
      await driver.close();
    },
    { scope: "worker" },
  ],
  tab: async ({ driver, baseURL }, use) => {
    if (driver.engine === "webkit") {
      const { sessionId } = await webDriver("POST", "/session", {
        capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
      });
      try {
        await use(new WebKitTab(sessionId, baseURL));
      } finally {
        await webDriver("DELETE", `/session/${sessionId}`);
      }
      return;
    }
    if (driver.engine === "chromium64") {
      const { browser, port } = driver;
      const { browserContextId } = await browser.send("Target.createBrowserContext");
      const { targetId } = await browser.send("Target.createTarget", { url: "about:blank", browserContextId });
      const cdp = await Channel.connect(`ws://127.0.0.1:${port}/devtools/page/${targetId}`, "DevTools");
      try {
        const tab = new ChromiumTab(cdp, baseURL);
        await cdp.send("Page.enable");
        await cdp.send("Runtime.enable");
        await cdp.send("Page.addScriptToEvaluateOnNewDocument", { source: `(${recordViolations})();(${countLive})()` });
        await use(tab);
      } finally {
        cdp.close();
        await browser.send("Target.closeTarget", { targetId });
        await browser.send("Target.disposeBrowserContext", { browserContextId });
      }
      return;
    }
    const { bidi } = driver;
    const { userContext } = await bidi.send("browser.createUserContext");
    await bidi.send("script.addPreloadScript", { functionDeclaration: String(recordViolations), userContexts: [userContext] });
    await bidi.send("script.addPreloadScript", { functionDeclaration: String(countLive), userContexts: [userContext] });
    const { context } = await bidi.send("browsingContext.create", { type: "tab", userContext });
    try {
      await use(new FirefoxTab(bidi, context, baseURL));
    } finally {
      await bidi.send("browsingContext.close", { context });
      await bidi.send("browser.removeUserContext", { userContext });
    }
  },
});

export { expect };
