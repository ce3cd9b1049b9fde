// The quick start's `make dev`, run as a developer runs it: it builds what it needs, starts the
// sandbox, the proxy and `trunk serve`, prints where they are, serves a demo a payer can pay
// through, and stops all three when told to. On ports of its own (DOLLR_DEV_PORT and the others,
// README, "Quick start"), and building into a directory of its own (DOLLR_DEV_DIST), so it runs
// while a developer's own `make dev` is up without replacing the files that one serves.
import { spawn } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PORTS = { DOLLR_DEV_PORT: 18780, DOLLR_DEV_PROXY_PORT: 18781, DOLLR_DEV_SANDBOX_PORT: 18782 };
const DEMO = `http://127.0.0.1:${PORTS.DOLLR_DEV_PORT}`;
const ports = Object.values(PORTS);
/** Where this test's `trunk serve` builds, beside the developer's `target/dev-dist`. */
const DIST = "target/dev-dist-e2e";

/** Whether something accepts connections on the loopback `port`. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/** `make dev` with `settings` (its ports) in a process group of its own, with everything it prints kept in `output()`. */
function makeDev(settings = PORTS) {
  const env = { ...process.env, DOLLR_DEV_DIST: DIST };
  for (const [name, port] of Object.entries(settings)) env[name] = String(port);
  const child = spawn("make", ["dev"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (chunk) => { text += chunk; });
  child.stderr.on("data", (chunk) => { text += chunk; });
  // Once make has exited and so has everything holding its output (the servers it started).
  const exited = new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => text };
}

/** Waits until `dev` has printed its addresses; throws, with what it printed, if it stops first. */
async function ready(dev, timeout) {
  const end = Date.now() + timeout;
  while (!dev.output().includes("Ctrl-C stops everything.")) {
    if (dev.child.exitCode !== null || dev.child.signalCode !== null) throw new Error(`make dev stopped:\n${dev.output()}`);
    if (Date.now() > end) throw new Error(`make dev was not ready in time:\n${dev.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("make dev: the printed demo takes a payment, Ctrl-C stops every server, and Ctrl-C again does not wait for a payment still with Dollr", async ({ page, request }) => {
  // A cold debug build of the widget, the proxy and the sandbox takes minutes on a small machine.
  test.setTimeout(15 * 60_000);
  expect(await Promise.all(ports.map(listening)), "the ports make dev is given are free").toEqual([false, false, false]);

  // The developer's own build, if there is one, as it was before the run.
  const theirs = `${ROOT}target/dev-dist/index.html`;
  const before = existsSync(theirs) ? statSync(theirs).mtimeMs : null;
  rmSync(`${ROOT}${DIST}`, { recursive: true, force: true }); // so only this run's build is found there
  const dev = makeDev();
  try {
    // Ready once it prints the addresses (the script waits for trunk's first build to serve).
    await ready(dev, 14 * 60_000);
    const printed = dev.output();
    expect(printed).toContain(`dollr-checkout demo:  ${DEMO}`);
    expect(printed).toContain(`static shop (CSP):    ${DEMO}/shop/`);
    expect(printed).toContain(`proxy (widget API):   http://127.0.0.1:${PORTS.DOLLR_DEV_PROXY_PORT}/api/dollr`);
    expect(printed).toContain(`sandbox (Dollr API):  http://127.0.0.1:${PORTS.DOLLR_DEV_SANDBOX_PORT}/v1`);
    // The proxy found the sandbox as it started: no error to scare the developer.
    expect(printed).not.toMatch(/ERROR|WARN/);

    // The build went to the directory it was given, and the developer's was left alone.
    expect(existsSync(`${ROOT}${DIST}/index.html`), `trunk built into ${DIST}`).toBe(true);
    expect(existsSync(theirs) ? statSync(theirs).mtimeMs : null).toBe(before);

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

    // A payment Dollr (the sandbox) takes two minutes to answer, whose payer's phone gave up.
    const sandbox = `http://127.0.0.1:${PORTS.DOLLR_DEV_SANDBOX_PORT}`;
    const proxy = `http://127.0.0.1:${PORTS.DOLLR_DEV_PROXY_PORT}/api/dollr`;
    const fault = { route: "executions/collection", kind: "delay", ms: 120_000, count: 1 };
    expect((await request.post(`${sandbox}/__sandbox/faults`, { data: fault })).ok()).toBe(true);
    const { grant } = await (await request.post(`${proxy}/dev/checkout`, { data: { currency: "USD" } })).json();
    const payment = { reference_id: "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", method: "MTN_MOMO_LBR", currency: "USD", phone: "231881231111" };
    await expect(request.post(`${proxy}/v1/payments`, { headers: { authorization: `Bearer ${grant}` }, data: payment, timeout: 1_000 })).rejects.toThrow(/Timeout/i);
    // Ctrl-C in a terminal: SIGINT to the whole foreground group (make and the script). The proxy
    // waits for Dollr's answer, and says how to stop it sooner.
    process.kill(-dev.child.pid, "SIGINT");
    await expect.poll(dev.output, { timeout: 30_000 }).toContain("stopping once the payments in flight have Dollr's answer (Ctrl-C again stops now)");
    // So does the sandbox, which holds the proxy's call.
    await expect.poll(dev.output, { timeout: 10_000 }).toContain("stopping once the calls in flight are answered (Ctrl-C again stops now)");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(dev.output(), "make dev waits for the payment").not.toContain("dev: stopped");
    // Ctrl-C again: every server stops now, well before Dollr's answer.
    process.kill(-dev.child.pid, "SIGINT");
    const late = new Promise((resolve) => setTimeout(() => resolve("still running"), 20_000));
    expect(await Promise.race([dev.exited.then(() => "stopped"), late])).toBe("stopped");
    expect(dev.output()).toContain("Ctrl-C again: stopping now");
  } finally {
    // Ctrl-C, if a step above failed before make dev stopped.
    if (dev.child.exitCode === null && dev.child.signalCode === null) process.kill(-dev.child.pid, "SIGINT");
  }
  await dev.exited;
  expect(dev.output()).toContain("dev: stopped sandbox, proxy and trunk");
  // Nothing it started is left listening.
  await expect.poll(async () => (await Promise.all(ports.map(listening))).some(Boolean)).toBe(false);
  // Its build is removed with it; the developer's `target/dev-dist` is theirs.
  rmSync(`${ROOT}${DIST}`, { recursive: true, force: true });
});

test("make dev refuses a port that is taken or not a number, naming the setting to change", async () => {
  const taken = createServer().listen(PORTS.DOLLR_DEV_PORT, "127.0.0.1");
  await new Promise((resolve) => taken.once("listening", resolve));
  try {
    const dev = makeDev();
    expect((await dev.exited).code).not.toBe(0);
    expect(dev.output()).toContain(`dev: port ${PORTS.DOLLR_DEV_PORT} is already in use; stop whatever listens there (another make dev?), or set DOLLR_DEV_PORT to another port, and retry.`);
  } finally {
    taken.close();
  }
  const dev = makeDev({ ...PORTS, DOLLR_DEV_PROXY_PORT: "87 87" });
  expect((await dev.exited).code).not.toBe(0);
  expect(dev.output()).toContain('dev: DOLLR_DEV_PROXY_PORT must be a port number from 1 to 65535, not "87 87".');
  // Nothing was started.
  expect(await Promise.all(ports.map(listening))).toEqual([false, false, false]);
});
