// End-to-end tier: the built widget (dist/) served by the real proxy, which runs the real
// sandbox in-process on its own loopback port, driven in Debian's Chromium.
import { defineConfig } from "@playwright/test";

export const PROXY_PORT = Number(process.env.E2E_PROXY_PORT || 18787);
/** The proxy under a name Chromium resolves to loopback (see the launch options): a page from it
 *  is not a secure context. */
export const SHOP_OVER_HTTP = `http://shop.test:${PROXY_PORT}`;
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT || 18788);

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.mjs$/,
  outputDir: "../../target/e2e-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PROXY_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Lets tests run the garbage collector (window.gc) on purpose.
        "--js-flags=--expose-gc",
        // A name for the proxy that is not a secure context, as a shop served over plain http
        // (SHOP_OVER_HTTP); loopback addresses and localhost are secure contexts.
        "--host-resolver-rules=MAP shop.test 127.0.0.1",
      ],
    },
    trace: "off",
  },
  webServer: {
    command: "../../target/debug/dollr-proxy",
    url: `http://127.0.0.1:${PROXY_PORT}/demo.js`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DOLLR_PROXY_ADDR: `127.0.0.1:${PROXY_PORT}`,
      DOLLR_SANDBOX_ADDR: `127.0.0.1:${SANDBOX_PORT}`,
      DOLLR_PROXY_STATIC_DIR: "../../dist",
      DOLLR_SANDBOX_SHORT_DELAY_MS: "1500",
      DOLLR_SANDBOX_LONG_DELAY_MS: "6000",
      RUST_LOG: "warn",
    },
  },
});
