// End-to-end tests in WebKit and Firefox (tests/e2e/engines.mjs): the built widget served by the
// real proxy and sandbox, as for Chromium (playwright.config.mjs); and in Chromium 64, the oldest
// Chrome of the README's browser floor, the same and its own (floor.engines.mjs).
import { defineConfig } from "@playwright/test";
import chromium from "./playwright.config.mjs";

export default defineConfig({
  ...chromium,
  testMatch: /.*\.engines\.mjs$/,
  outputDir: "../../target/e2e-engines-results",
  use: { baseURL: chromium.use.baseURL },
  projects: [
    { name: "webkit", testMatch: /shop\.engines\.mjs$/, use: { engine: "webkit" } },
    { name: "firefox", testMatch: /shop\.engines\.mjs$/, use: { engine: "firefox" } },
    { name: "chromium64", testMatch: /(shop|floor)\.engines\.mjs$/, use: { engine: "chromium64" } },
  ],
});
