// End-to-end tests in WebKit and Firefox (tests/e2e/engines.mjs): the built widget served by the
// real proxy and sandbox, as for Chromium (playwright.config.mjs).
import { defineConfig } from "@playwright/test";
import chromium from "./playwright.config.mjs";

export default defineConfig({
  ...chromium,
  testMatch: /.*\.engines\.mjs$/,
  outputDir: "../../target/e2e-engines-results",
  use: { baseURL: chromium.use.baseURL },
  projects: [
    { name: "webkit", use: { engine: "webkit" } },
    { name: "firefox", use: { engine: "firefox" } },
  ],
});
