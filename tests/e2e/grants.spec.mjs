// What a merchant's backend developer does after reading the README's "Grants": mints a grant
// with one of the README's examples as it is written, on a proxy started with their own
// DOLLR_GRANT_SECRET, and the proxy loads the order for it. Each example runs as written, in a
// process of its own, so the README cannot drift from what works; so does its check before
// fulfilling. And what they and their payers see when the proxy is set up wrongly for the page,
// until it is set right.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import { readmeExample } from "./helpers.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROXY_PORT = Number(process.env.E2E_GRANTS_PROXY_PORT || 18785);
const SANDBOX_PORT = Number(process.env.E2E_GRANTS_SANDBOX_PORT || 18786);
const PROXY = `http://127.0.0.1:${PROXY_PORT}`;
/** A proxy in live mode, its Dollr the sandbox above, for the credentials test. */
const LIVE_PORT = Number(process.env.E2E_GRANTS_LIVE_PORT || 18784);
const LIVE = `http://127.0.0.1:${LIVE_PORT}`;
/** The merchant's own secret, as their proxy is configured. */
const SECRET = "a-merchant-secret-of-at-least-32-characters";

/** Runs `source`, written to `file` under target/, with `program` (and its `flags`), `secret`
 *  as the environment's DOLLR_GRANT_SECRET and `env` besides; returns what it printed. */
function run(program, file, source, secret, env = {}, flags = []) {
  const script = `${ROOT}target/${file}`;
  writeFileSync(script, source);
  try {
    return execFileSync(program, [...flags, script], { env: { ...process.env, ...env, DOLLR_GRANT_SECRET: secret }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(script);
  }
}

/** How each example is run for an order: the README names `source_id` and `party_id` and leaves
 *  them to the merchant's code, so they are given first, and the grant is printed after. */
const EXAMPLES = {
  "Node.js": (order, secret) => run(
    process.execPath,
    "e2e-readme-grant.mjs",
    `const { source_id, party_id } = ${JSON.stringify(order)};\n${readmeExample("e.g. in Node.js:", "js")}\nprocess.stdout.write(grant);\n`,
    secret,
  ),
  "Python, its standard library alone": (order, secret) => run(
    "python3",
    "e2e-readme-grant.py",
    `${readmeExample("In Python, with its standard library alone:", "python")}\nprint(mint_grant(${order.source_id}, ${order.party_id}, "25.00", "USD"), end="")\n`,
    secret,
  ),
  "PHP, its standard library alone": (order, secret) => run(
    "php",
    "e2e-readme-grant.php",
    `${readmeExample("In PHP, with its standard library alone:", "php")}\necho mint_grant(${order.source_id}, ${order.party_id}, "25.00", "USD");\n`,
    secret,
  ),
};

/** The README's PHP check before fulfilling that follows `lead`, run with PHP's `flags` after the
 *  PHP grant example in one file, as a merchant's would be (the check without its own opening
 *  tag): the receipt it returns for `order` with `secret`. */
const phpCheck = (order, secret, lead, flags = []) => JSON.parse(run(
  "php",
  "e2e-readme-verify.php",
  `${readmeExample("In PHP, with its standard library alone:", "php")}\n` +
    `${readmeExample(lead, "php").replace(/^<\?php\n/, "")}\n` +
    `echo json_encode(paid_receipt(mint_grant(${order.source_id}, ${order.party_id}, "25.00", "USD")));\n`,
  secret,
  { DOLLR_PROXY_URL: `${PROXY}/api/dollr` },
  flags,
));

/** The README's check before fulfilling in each language, run as written after its grant
 *  example in that language, for `order` with `secret`: the receipt it returns (null while the
 *  order is not paid); and what it throws for a grant the proxy refuses. */
const PAID_RECEIPT = {
  "Node.js": {
    check: (order, secret) => JSON.parse(run(
      process.execPath,
      "e2e-readme-verify.mjs",
      `const { source_id, party_id } = ${JSON.stringify(order)};\n${readmeExample("e.g. in Node.js:", "js")}\n` +
        `${readmeExample("`http://127.0.0.1:8787/api/dollr`):", "js")}\nprocess.stdout.write(JSON.stringify(await paidReceipt(grant)));\n`,
      secret,
      { DOLLR_PROXY_URL: `${PROXY}/api/dollr` },
    )),
    refused: /dollr-proxy answered 401/,
  },
  Python: {
    check: (order, secret) => JSON.parse(run(
      "python3",
      "e2e-readme-verify.py",
      `${readmeExample("In Python, with its standard library alone:", "python")}\n` +
        `${readmeExample("The same in Python, with its standard library alone:", "python")}\n` +
        `print(json.dumps(paid_receipt(mint_grant(${order.source_id}, ${order.party_id}, "25.00", "USD"))))\n`,
      secret,
      { DOLLR_PROXY_URL: `${PROXY}/api/dollr` },
    )),
    refused: /dollr-proxy answered 401: .*invalid_grant/,
  },
  PHP: {
    check: (order, secret) => phpCheck(order, secret, "The same in PHP, with its standard library alone:"),
    refused: /dollr-proxy: invalid_grant/,
  },
  "PHP with curl, on a host where allow_url_fopen is off": {
    check: (order, secret) => phpCheck(order, secret, "the same with PHP's curl extension:", ["-d", "allow_url_fopen=0"]),
    refused: /dollr-proxy: invalid_grant/,
  },
};

/** The claims of a JWT, unverified. */
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

let proxy;
test.beforeAll(async ({ request }) => {
  proxy = spawn(`${ROOT}target/debug/dollr-proxy`, [], {
    env: {
      ...process.env,
      DOLLR_PROXY_ADDR: `127.0.0.1:${PROXY_PORT}`,
      DOLLR_SANDBOX_ADDR: `127.0.0.1:${SANDBOX_PORT}`,
      DOLLR_GRANT_SECRET: SECRET,
      DOLLR_SANDBOX_SHORT_DELAY_MS: "500",
      RUST_LOG: "warn",
    },
    stdio: "ignore",
  });
  await expect.poll(async () => (await request.get(`${PROXY}/healthz`).catch(() => null))?.status(), { timeout: 20_000 }).toBe(200);
});
test.afterAll(() => proxy?.kill());

for (const [language, mint] of Object.entries(EXAMPLES)) {
  test(`a grant minted by the README's example in ${language}, with the merchant's own secret, loads its order`, async ({ request }) => {
    // An order of the sandbox, for the merchant's server to mint its grant.
    const demo = await request.post(`${PROXY}/api/dollr/dev/checkout`, { data: { currency: "USD" } });
    expect(demo.ok()).toBe(true);
    const { source_id, party_id } = claimsOf((await demo.json()).grant);

    const grant = mint({ source_id, party_id }, SECRET);
    const claims = claimsOf(grant);
    expect(claims).toMatchObject({ source_type: "INVOICE", source_id, party_id, amount: "25.00", currency: "USD" });
    // Short-lived, as the README asks: an hour at most.
    expect(claims.exp - claims.iat).toBeGreaterThan(0);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    const summary = await request.get(`${PROXY}/api/dollr/v1/checkout`, { headers: { Authorization: `Bearer ${grant}` } });
    expect(summary.status()).toBe(200);
    expect(await summary.json()).toMatchObject({ total: "25", currency: "USD" });

    // The same example with another secret: refused.
    const stranger = mint({ source_id, party_id }, `${SECRET}-not-this-one`);
    const refused = await request.get(`${PROXY}/api/dollr/v1/checkout`, { headers: { Authorization: `Bearer ${stranger}` } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_grant");
  });
}

/** Where the live proxy serves the merchant's page from, beside the widget's files. */
const MERCHANT_SITE = `${ROOT}target/e2e-merchant-site`;

/** The proxy in live mode on LIVE_PORT, its Dollr the sandbox, with the merchant's grant secret,
 *  serving MERCHANT_SITE; `clientSecret` for Dollr (the sandbox's is `sandbox_secret`),
 *  `allowedOrigins` as DOLLR_ALLOWED_ORIGINS, and `basePath` after the sandbox's address in
 *  DOLLR_BASE_URL. Resolves once it answers its health check. */
async function startLive(request, { clientSecret = "sandbox_secret", allowedOrigins = "", basePath = "" } = {}) {
  const live = spawn(`${ROOT}target/debug/dollr-proxy`, [], {
    env: {
      ...process.env,
      DOLLR_PROXY_ADDR: `127.0.0.1:${LIVE_PORT}`,
      DOLLR_BASE_URL: `http://127.0.0.1:${SANDBOX_PORT}${basePath}`,
      DOLLR_CLIENT_ID: "sandbox_client",
      DOLLR_CLIENT_SECRET: clientSecret,
      DOLLR_GRANT_SECRET: SECRET,
      DOLLR_ALLOWED_ORIGINS: allowedOrigins,
      DOLLR_PROXY_STATIC_DIR: MERCHANT_SITE,
      RUST_LOG: "error",
    },
    stdio: "ignore",
  });
  await expect.poll(async () => (await request.get(`${LIVE}/healthz`).catch(() => null))?.status(), { timeout: 20_000 })
    .toBe(clientSecret === "sandbox_secret" && !basePath ? 200 : 503);
  return live;
}

/** Three ways a merchant's proxy is set up wrongly for their page: how each is started, where
 *  the page is, and what the console must name; then how it is set right. */
const MISCONFIGURED = {
  "Dollr refuses the proxy's client credentials": {
    wrong: { clientSecret: "not-the-secret" },
    right: {},
    page: LIVE,
    named: "DOLLR_CLIENT_SECRET",
  },
  "the proxy's DOLLR_BASE_URL has a path too many, where Dollr's API is not": {
    wrong: { basePath: "/api" },
    right: {},
    page: LIVE,
    named: "check DOLLR_BASE_URL",
  },
  "the page's origin is not among the proxy's DOLLR_ALLOWED_ORIGINS": {
    // The page on localhost, the proxy called as 127.0.0.1: two origins.
    wrong: {},
    right: { allowedOrigins: `http://localhost:${LIVE_PORT}` },
    page: `http://localhost:${LIVE_PORT}`,
    named: "DOLLR_ALLOWED_ORIGINS",
  },
};

/** A grant, minted as the README's Node.js example does, for a fresh order of the sandbox. */
async function grantForNewOrder(request) {
  const demo = await request.post(`${PROXY}/api/dollr/dev/checkout`, { data: { currency: "USD" } });
  const { source_id, party_id } = claimsOf((await demo.json()).grant);
  return EXAMPLES["Node.js"]({ source_id, party_id }, SECRET);
}

/** Writes the merchant's page into MERCHANT_SITE, beside a copy of the built widget's files: the
 *  script tag and the element with `grant`, its proxy named in full. It is served by the live
 *  proxy: a page the test answered itself would not be in the loopback address space, and
 *  Chromium would keep it from calling the proxy. */
function writeMerchantSite(grant) {
  rmSync(MERCHANT_SITE, { recursive: true, force: true });
  mkdirSync(MERCHANT_SITE);
  cpSync(`${ROOT}dist/cdn`, `${MERCHANT_SITE}/cdn`, { recursive: true });
  writeFileSync(`${MERCHANT_SITE}/checkout.html`, `<!doctype html><html lang="en"><title>Pay</title>
    <script src="/cdn/dollr-checkout.js" defer></script>
    <dollr-checkout proxy="${LIVE}/api/dollr" grant="${grant}"></dollr-checkout>`);
}

/** Opens the merchant's page from `origin` and expects the checkout to say it is not set up:
 *  the payer's sentence, the page's one `dollr:error`, and one console error naming `named`. */
async function expectNotSetUp(page, origin, named) {
  await page.addInitScript(() => {
    window.heard = [];
    document.addEventListener("dollr:error", (event) => window.heard.push(event.detail));
  });
  const logged = [];
  page.on("console", (message) => logged.push(`${message.type()}: ${message.text()}`));
  await page.goto(`${origin}/checkout.html`);
  await expect(page.getByTestId("error")).toHaveText(/This checkout is not set up correctly\. Please contact the shop\./);
  await expect.poll(() => page.evaluate(() => window.heard)).toEqual([
    { code: "ErrorMisconfigured", message: "This checkout is not set up correctly. Please contact the shop." },
  ]);
  expect(logged.filter((line) => line.startsWith("error: dollr-checkout:") && line.includes(named))).toHaveLength(1);
}

for (const [setup, { wrong, right, page: origin, named }] of Object.entries(MISCONFIGURED)) {
  test(`${setup}: the payer reads that the checkout is not set up, the page hears ErrorMisconfigured, the console names the setting, and Try again loads the order once it is set right`, async ({ page, request }) => {
    writeMerchantSite(await grantForNewOrder(request));
    let live = await startLive(request, wrong);
    try {
      await expectNotSetUp(page, origin, named);

      // The merchant sets it right and restarts the proxy; the payer tries again.
      live.kill();
      await new Promise((resolve) => live.once("exit", resolve));
      live = await startLive(request, right);
      await page.getByTestId("retry").click();
      await expect(page.getByTestId("payment-form")).toBeVisible();
      await expect(page.getByTestId("phone")).toBeEditable();
      expect(await page.evaluate(() => window.heard)).toHaveLength(1);
    } finally {
      live.kill();
      rmSync(MERCHANT_SITE, { recursive: true, force: true });
    }
  });
}

test("a grant for an order Dollr does not have (one made in the sandbox, used in live mode): the payer reads that the checkout is not set up, the page hears ErrorMisconfigured, the console names the grant's order, and the right grant loads it", async ({ page, request }) => {
  const right = await grantForNewOrder(request);
  const { party_id } = claimsOf(right);
  writeMerchantSite(EXAMPLES["Node.js"]({ source_id: 987654321, party_id }, SECRET));
  const live = await startLive(request);
  try {
    await expectNotSetUp(page, LIVE, "source_id 987654321");
    // The shop's server mints the grant for the right order and the page hands it over.
    await page.locator("dollr-checkout").evaluate((element, grant) => { element.grant = grant; }, right);
    await expect(page.getByTestId("payment-form")).toBeVisible();
    await expect(page.getByTestId("phone")).toBeEditable();
  } finally {
    live.kill();
    rmSync(MERCHANT_SITE, { recursive: true, force: true });
  }
});

for (const [language, { check, refused }] of Object.entries(PAID_RECEIPT)) {
  test(`the README's check before fulfilling in ${language}, run as written on the merchant's server: null before the payment, the receipt naming it after, and refused with another secret`, async ({ request }) => {
    const demo = await (await request.post(`${PROXY}/api/dollr/dev/checkout`, { data: { currency: "USD" } })).json();
    const order = claimsOf(demo.grant);
    expect(check(order, SECRET)).toBeNull();
    // The payer pays (the sandbox's number that completes after its short delay).
    const reference_id = randomUUID();
    const auth = { Authorization: `Bearer ${demo.grant}` };
    const sent = await request.post(`${PROXY}/api/dollr/v1/payments`, {
      headers: auth,
      data: { reference_id, method: "MTN_MOMO_LBR", currency: "USD", phone: "231881231111" },
    });
    expect(sent.status()).toBe(200);
    expect(check(order, SECRET)).toBeNull(); // processing: not paid yet
    await expect.poll(async () => (await (await request.get(`${PROXY}/api/dollr/v1/payments/${reference_id}`, { headers: auth })).json()).status, { timeout: 15_000 }).toBe("COMPLETED");
    expect(check(order, SECRET)).toMatchObject({ status: "PAID", reference_id, total: "25", currency: "USD", payer_amount: "25.63" });
    // A grant the proxy does not accept: the example throws, and nothing is taken for paid.
    expect(() => check(order, `${SECRET}-not-this-one`)).toThrow(refused);
  });
}
