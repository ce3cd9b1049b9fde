// End-to-end tests in WebKit (tests/e2e/webkit.mjs): the built widget served by the real proxy
// and sandbox, as for Chromium (playwright.config.mjs), driven in WebKitGTK's MiniBrowser.
import { defineConfig } from "@playwright/test";
import chromium from "./playwright.config.mjs";

export default defineConfig({
  ...chromium,
  testMatch: /.*\.webkit\.mjs$/,
  outputDir: "../../target/e2e-webkit-results",
  use: { baseURL: chromium.use.baseURL },
});
