// The widget's files on a CDN of another origin than the shop's page: the loader pinned with its
// integrity digest, the glue, wasm and stylesheet fetched with CORS and checked, under a strict
// Content-Security-Policy that names the CDN.
import { test, expect } from "@playwright/test";
import config, { PROXY_PORT } from "./playwright.config.mjs";
import { editShopHtml, manifest, watch } from "./static-shop.mjs";

// A page rebuilt through DevTools (editShopHtml) has no server address, which Chromium counts as
// the public internet, and its Local Network Access check then refuses every request to a
// loopback origin other than the page's own. A real shop and its CDN are both on the internet and
// never meet that check, so it is off in this file.
test.use({
  launchOptions: {
    ...config.use.launchOptions,
    args: [...config.use.launchOptions.args, "--disable-features=LocalNetworkAccessChecks"],
  },
});

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
