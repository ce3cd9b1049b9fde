// The quick start's `make dev`, run as a developer runs it: it builds what it needs, starts the
// sandbox, the proxy and `trunk serve`, prints where they are, serves a demo a payer can pay
// through, and stops all three when told to. The servers are the real ones on their documented
// ports (README, "Quick start"), so this needs 8080, 8787 and 8788 free.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PORTS = [8080, 8787, 8788];
const DEMO = "http://127.0.0.1:8080";

/** Whether something accepts connections on the loopback `port`. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/** `make dev` in a process group of its own, with everything it prints kept in `output()`. */
function makeDev() {
  const child = spawn("make", ["dev"], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (chunk) => { text += chunk; });
  child.stderr.on("data", (chunk) => { text += chunk; });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => text };
}

test("make dev: the printed demo takes a payment, and stopping it stops every server", async ({ page }) => {
  // A cold debug build of the widget, the proxy and the sandbox takes minutes on a small machine.
  test.setTimeout(15 * 60_000);
  const busy = (await Promise.all(PORTS.map(listening))).some(Boolean);
  test.skip(busy && !process.env.CI, "make dev's ports (8080, 8787, 8788) are taken: is make dev already running?");

  const dev = makeDev();
  try {
    // Ready once it prints the addresses (the script waits for trunk's first build to serve).
    await expect
      .poll(() => (dev.child.exitCode === null ? dev.output() : `exited: ${dev.output()}`), {
        timeout: 14 * 60_000,
        intervals: [1000],
      })
      .toContain("Ctrl-C stops everything.");
    const printed = dev.output();
    expect(printed).toContain(`dollr-checkout demo:  ${DEMO}`);
    expect(printed).toContain(`static shop (CSP):    ${DEMO}/shop/`);

    // The demo page the message names: a payer pays with a sandbox number.
    await page.goto(DEMO);
    await page.getByTestId("payment-form").waitFor({ timeout: 60_000 });
    await expect(page.getByTestId("order-summary")).toContainText("Total");
    await page.getByTestId("phone").fill("088 123 1111");
    await expect(page.getByTestId("quote-amount")).toHaveText("$25.63");
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("waiting")).toBeVisible();
    await expect(page.getByTestId("success")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("receipt-paid")).toHaveText("$25.63");

    // Its second theme: the checkout's own background turns dark.
    const box = page.locator("#checkout").getByTestId("dollr-checkout");
    const background = () => box.evaluate((el) => getComputedStyle(el).backgroundColor);
    const light = await background();
    await page.getByRole("button", { name: "Dark theme" }).click();
    expect(light).toBe("rgb(255, 255, 255)");
    await expect.poll(background).toBe("rgb(21, 25, 30)");

    // The static shop it names loads the built files and shows the form too.
    await page.goto(`${DEMO}/shop/`);
    await expect(page.getByTestId("payment-form")).toBeVisible({ timeout: 30_000 });
  } finally {
    if (dev.child.exitCode === null) process.kill(-dev.child.pid, "SIGTERM");
  }
  await dev.exited;
  expect(dev.output()).toContain("dev: stopped sandbox, proxy and trunk");
  // Nothing it started is left listening.
  await expect.poll(async () => (await Promise.all(PORTS.map(listening))).some(Boolean)).toBe(false);
});
