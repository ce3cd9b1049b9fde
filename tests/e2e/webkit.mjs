// WebKit, the engine of Safari and of every browser on an iPhone, for the end-to-end tests:
// WebKitGTK's MiniBrowser driven over W3C WebDriver by Debian's WebKitWebDriver (package
// webkit2gtk-driver, installed by scripts/setup.sh). Playwright's own WebKit is a download this
// machine cannot make, so the tests here talk WebDriver's HTTP protocol themselves, with
// Playwright's runner, `request` and `expect`.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { test as base, expect } from "@playwright/test";

/** WebKitGTK's MiniBrowser: WEBKIT_MINIBROWSER, or where Debian puts it for this machine's
 *  architecture; null when it is not installed. */
const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ||
  readdirSync("/usr/lib")
    .map((dir) => `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`)
    .find((path) => existsSync(path)) ||
  null;
const DRIVER_PORT = Number(process.env.E2E_WEBKIT_DRIVER_PORT || 18789);
/** The key under which WebDriver hands over a reference to an element. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** One request to WebKitWebDriver; its `value`, or an Error with WebDriver's message. */
async function command(method, path, body) {
  const response = await fetch(`http://127.0.0.1:${DRIVER_PORT}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value.error}: ${value.message}`);
  return value;
}

/** A page in MiniBrowser, with what the tests need of it. Elements are found in a checkout's
 *  shadow root by `data-testid`; `n` picks the checkout (0 the first on the page). */
class WebKitPage {
  constructor(session, baseURL) {
    this.path = `/session/${session}`;
    this.baseURL = baseURL;
    /** What holds the checkouts' shadow roots: `<dollr-checkout>`, or the element a page mounted
     *  one on with the JS API. */
    this.hosts = "dollr-checkout";
  }

  goto(path) {
    return command("POST", `${this.path}/url`, { url: new URL(path, this.baseURL).href });
  }

  /** Opens `path` in a frame of `width` × `height` CSS pixels, the screen of a phone that size
   *  (MiniBrowser's window is no narrower than its toolbar, 447 px), and runs what follows in it.
   *  The frame is put in a page of the same origin (the demo's, emptied), as WebKit gives no
   *  focus to a field in a frame of another origin without the payer's touch. */
  async openFramed(path, width, height) {
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
    await command("POST", `${this.path}/frame`, { id: frame });
  }

  reload() {
    return command("POST", `${this.path}/refresh`, {});
  }

  /** Runs `fn` in the page with `args` (JSON values or element references); its result. */
  evaluate(fn, ...args) {
    return command("POST", `${this.path}/execute/sync`, { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** A reference to the first element matching `selector` in the page or any open shadow root
   *  in it, or null. */
  find(selector) {
    return this.evaluate((s) => {
      const search = (root) =>
        root.querySelector(s) ??
        [...root.querySelectorAll("*")].filter((el) => el.shadowRoot).map((el) => search(el.shadowRoot)).find(Boolean) ??
        null;
      return search(document);
    }, selector);
  }

  /** A reference to the element of `testId` in checkout `n`'s shadow root, or null. */
  inCheckout(testId, n = 0) {
    return this.evaluate(
      (hosts, id, i) => document.querySelectorAll(hosts)[i]?.shadowRoot?.querySelector(`[data-testid="${id}"]`) ?? null,
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

  /** Waits for the element of `testId` in checkout `n` and returns its reference. */
  async waitFor(testId, n = 0, timeout = 10_000) {
    await expect.poll(() => this.inCheckout(testId, n), { message: `${testId} in checkout ${n}`, timeout }).not.toBeNull();
    return this.inCheckout(testId, n);
  }

  /** Types `text` into the element of `testId` in checkout `n` with WebKit's own key events. */
  async type(testId, text, n = 0) {
    await this.typeInto(await this.waitFor(testId, n), text);
  }

  /** Focuses `element` and types `text` with WebKit's own key events, as a keyboard would. */
  async typeInto(element, text) {
    await this.evaluate((el) => el.focus(), element);
    for (const key of text) await this.press(key);
  }

  /** Presses `key` (a character, or WebDriver's code for a special key: KEYS) on the focused
   *  element. */
  press(key) {
    return command("POST", `${this.path}/actions`, {
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value: key }, { type: "keyUp", value: key }] }],
    });
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
          return [el.closest("[data-testid]")?.dataset.testid ?? null, heading ? "heading" : el.localName];
        }
        return active.id ? `#${active.id}` : active.localName;
      },
      this.hosts,
      n,
    );
  }

  /** Clicks the element of `testId` in checkout `n` as a pointer would. */
  async click(testId, n = 0) {
    const element = await this.waitFor(testId, n);
    await command("POST", `${this.path}/element/${element[ELEMENT]}/click`, {});
  }

  /** Waits for an element matching `selector` anywhere in the page (see `find`), the page's own
   *  controls or Stripe's card field, and returns its reference. */
  async waitForPage(selector, timeout = 10_000) {
    await expect.poll(() => this.find(selector), { message: selector, timeout }).not.toBeNull();
    return this.find(selector);
  }

  /** Clicks the element matching `selector` anywhere in the page. */
  async clickPage(selector) {
    const element = await this.waitForPage(selector);
    await command("POST", `${this.path}/element/${element[ELEMENT]}/click`, {});
  }

  /** Types `text` into the element matching `selector` anywhere in the page. */
  async typePage(selector, text) {
    await this.typeInto(await this.waitForPage(selector), text);
  }
}

/** WebDriver's codes for the special keys the tests press. */
export const KEYS = { Enter: "\uE007", Tab: "\uE004" };

/** Playwright's `test` with a `webkit` page: one WebKitWebDriver for the worker, a fresh
 *  MiniBrowser session for each test. MiniBrowser needs a display: `make test` runs this tier
 *  under `xvfb-run`. */
export const test = base.extend({
  driver: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!MINIBROWSER) throw new Error("WebKitGTK's MiniBrowser is not installed: run scripts/setup.sh");
      if (!process.env.DISPLAY) throw new Error("WebKit needs a display: run this tier under xvfb-run -a (make test does)");
      const driver = spawn("WebKitWebDriver", [`--port=${DRIVER_PORT}`, "--host=127.0.0.1"], { stdio: "ignore" });
      await expect.poll(() => command("GET", "/status").then((s) => s.ready, () => false), { timeout: 10_000 }).toBe(true);
      await use(driver);
      driver.kill();
    },
    { scope: "worker" },
  ],
  webkit: async ({ driver, baseURL }, use) => {
    expect(driver.exitCode).toBeNull();
    const { sessionId } = await command("POST", "/session", {
      capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
    });
    try {
      await use(new WebKitPage(sessionId, baseURL));
    } finally {
      await command("DELETE", `/session/${sessionId}`);
    }
  },
});

export { expect };
