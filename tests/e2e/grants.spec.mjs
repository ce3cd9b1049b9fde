// What a merchant's backend developer does after reading the README's "Grants": mints a grant
// with the Node.js example as the README writes it, on a proxy started with their own
// DOLLR_GRANT_SECRET, and the proxy loads the order for it. The example runs as written, in a
// process of its own, so the README cannot drift from what works.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROXY_PORT = Number(process.env.E2E_GRANTS_PROXY_PORT || 18785);
const SANDBOX_PORT = Number(process.env.E2E_GRANTS_SANDBOX_PORT || 18786);
const PROXY = `http://127.0.0.1:${PROXY_PORT}`;
/** The merchant's own secret, as their proxy is configured. */
const SECRET = "a-merchant-secret-of-at-least-32-characters";

/** The README's Node.js minting example, from its code block. */
function readmeExample() {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const example = readme.match(/e\.g\. in Node\.js:\n\n```js\n([\s\S]*?)```/);
  if (!example) throw new Error("README: the Node.js grant example is gone");
  return example[1];
}

/** A grant minted by the README's example for `claims`' order, with `secret` in the
 *  environment; run by Node.js from the repository, where `jsonwebtoken` is installed. */
function mintAsTheReadme(claims, secret) {
  const script = `${ROOT}target/e2e-readme-grant.mjs`;
  const example = readmeExample();
  writeFileSync(script, `const { source_id, party_id } = ${JSON.stringify(claims)};\n${example}\nprocess.stdout.write(grant);\n`);
  try {
    return execFileSync(process.execPath, [script], { env: { ...process.env, DOLLR_GRANT_SECRET: secret }, encoding: "utf8" });
  } finally {
    rmSync(script);
  }
}

/** The claims of a JWT, unverified. */
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

test("a grant minted by the README's Node.js example, with the merchant's own secret, loads its order", async ({ request }) => {
  const proxy = spawn(`${ROOT}target/debug/dollr-proxy`, [], {
    env: {
      ...process.env,
      DOLLR_PROXY_ADDR: `127.0.0.1:${PROXY_PORT}`,
      DOLLR_SANDBOX_ADDR: `127.0.0.1:${SANDBOX_PORT}`,
      DOLLR_GRANT_SECRET: SECRET,
      RUST_LOG: "warn",
    },
    stdio: "ignore",
  });
  try {
    await expect.poll(async () => (await request.get(`${PROXY}/healthz`).catch(() => null))?.status(), { timeout: 20_000 }).toBe(200);
    // An order of the sandbox, for the merchant's server to mint its grant.
    const demo = await request.post(`${PROXY}/api/dollr/dev/checkout`, { data: { currency: "USD" } });
    expect(demo.ok()).toBe(true);
    const order = claimsOf((await demo.json()).grant);

    const grant = mintAsTheReadme({ source_id: order.source_id, party_id: order.party_id }, SECRET);
    const claims = claimsOf(grant);
    expect(claims).toMatchObject({ source_type: "INVOICE", source_id: order.source_id, party_id: order.party_id, amount: "25.00", currency: "USD" });
    // Short-lived, as the README asks: an hour at most.
    expect(claims.exp - claims.iat).toBeGreaterThan(0);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    const summary = await request.get(`${PROXY}/api/dollr/v1/checkout`, { headers: { Authorization: `Bearer ${grant}` } });
    expect(summary.status()).toBe(200);
    expect(await summary.json()).toMatchObject({ total: "25", currency: "USD" });

    // The same example with another secret: refused, and the answer says why.
    const stranger = mintAsTheReadme({ source_id: order.source_id, party_id: order.party_id }, `${SECRET}-not-this-one`);
    const refused = await request.get(`${PROXY}/api/dollr/v1/checkout`, { headers: { Authorization: `Bearer ${stranger}` } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_grant");
  } finally {
    proxy.kill();
  }
});
