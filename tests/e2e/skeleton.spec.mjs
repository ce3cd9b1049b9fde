// The walking skeleton: demo page → widget → proxy → sandbox (client-credentials token) and
// back, as a payer sees it.
import { test, expect } from "@playwright/test";
import { ledger } from "./helpers.mjs";

test("the demo page shows the sandbox invoice's items and total", async ({ page, request }) => {
  await page.goto("/");
  const widget = page.getByTestId("dollr-checkout");
  await expect(widget.getByTestId("order-summary")).toBeVisible();
  const lines = widget.getByTestId("line-item");
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText("Solar lantern");
  await expect(lines.nth(0)).toContainText("$18.50");
  await expect(lines.nth(1)).toContainText("Phone charging cable");
  await expect(widget.getByTestId("total")).toHaveText("$25.00");

  // The invoice the widget shows is the one the sandbox holds.
  const heading = await widget.getByTestId("order-summary").getByRole("heading").textContent();
  const number = heading.split("·")[1].trim();
  const books = await ledger(request);
  const source = books.sources.find((s) => s.number === number);
  expect(source, `invoice ${number} in the sandbox`).toBeTruthy();
  expect(source.total).toBe("25");
  expect(source.currency).toBe("USD");
  expect(source.status).toBe("ACTIVE");
});

test("a reload shows the same order, not a new one", async ({ page }) => {
  await page.goto("/");
  const heading = page.getByTestId("order-summary").getByRole("heading");
  await expect(heading).toBeVisible();
  const before = await heading.textContent();
  await page.reload();
  await expect(page.getByTestId("order-summary").getByRole("heading")).toHaveText(before);
});

test("a bad grant gets a plain sentence, not a crash", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("order-summary")).toBeVisible();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && m.text().includes("internal error") && errors.push(m.text()));
  await page.evaluate(() => {
    const host = document.createElement("div");
    host.id = "second";
    document.body.append(host);
    // The handle is not kept, as a hurried page would do.
    window.wasmBindings.mount(host, { proxy: "/api/dollr", grant: "aaa.bbb.ccc" });
  });
  // Regression: a collected handle once unmounted its widget. Dropping it must not.
  await page.evaluate(() => window.gc());
  const alert = page.locator("#second").getByRole("alert");
  await expect(alert).toContainText("This checkout link isn't valid");
  await expect(page.locator("#second").getByTestId("retry")).toHaveCount(0);
  expect(errors).toEqual([]);
});
