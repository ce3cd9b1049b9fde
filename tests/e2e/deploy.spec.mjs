// What a merchant's backend developer does after reading the README's "Running it on your
// server": puts the proxy behind their shop's nginx with the README's `location` block, as it is
// written, so the widget's calls reach it under the shop's own origin. Here nginx runs as a
// process of the test's own on loopback, on a port of its own (as a shop on a port other than
// 443 would be), in front of the proxy that serves the built files; a payer pays there.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import { PROXY_PORT } from "./playwright.config.mjs";
import { executionsFor, readmeExample } from "./helpers.mjs";
import { heardEvents, openStaticShop } from "./static-shop.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NGINX_PORT = Number(process.env.E2E_NGINX_PORT || 18779);
const SHOP = `http://127.0.0.1:${NGINX_PORT}`;
/** nginx's files (its configuration, pid, temporary files), under target/. */
const DIR = `${ROOT}target/e2e-nginx`;

/** The README's nginx block, with the proxy's address where this test runs it. */
function readmeLocation() {
  const block = readmeExample("`server` block:", "nginx");
  if (!block.includes("http://127.0.0.1:8787;")) throw new Error("README: the nginx block no longer passes to 127.0.0.1:8787");
  return block.replace("http://127.0.0.1:8787;", `http://127.0.0.1:${PROXY_PORT};`);
}

let nginx;
/** Settles once nginx has exited, or failed to start. */
let exited;
/** What nginx wrote to its error log. */
let log = "";
test.beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  // A whole configuration of the test's own: one process (no workers to switch users), its
  // files under DIR, and the shop's site, here the built files the proxy serves, beside the
  // README's block.
  writeFileSync(`${DIR}/nginx.conf`, `daemon off;
master_process off;
pid ${DIR}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${DIR}/body;
  proxy_temp_path ${DIR}/proxy;
  fastcgi_temp_path ${DIR}/fastcgi;
  uwsgi_temp_path ${DIR}/uwsgi;
  scgi_temp_path ${DIR}/scgi;
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / {
      proxy_pass http://127.0.0.1:${PROXY_PORT};
    }
${readmeLocation()}  }
}
`);
  nginx = spawn("/usr/sbin/nginx", ["-p", DIR, "-c", `${DIR}/nginx.conf`, "-e", "stderr"], { stdio: ["ignore", "ignore", "pipe"] });
  nginx.stderr.on("data", (chunk) => { log += chunk; });
  exited = new Promise((resolve) => {
    nginx.once("exit", resolve);
    nginx.once("error", (error) => { log += `${error}\n`; resolve(); }); // not started at all
  });
  // Ready once it answers: the shop's page through it.
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${SHOP}/shop/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ready) break;
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))]);
    if (gone || tries > 100) throw new Error(`nginx did not start: ${log}`);
  }
});

test.afterAll(async () => {
  if (nginx?.pid !== undefined && nginx.exitCode === null) {
    nginx.kill("SIGTERM");
    await exited;
  }
  rmSync(DIR, { recursive: true, force: true });
});

test.use({ baseURL: SHOP });

test("the proxy behind nginx with the README's block, on a port of the shop's own: the page's calls are its own origin's, and a payer pays, charged once", async ({ page, request }) => {
  const { widget, number } = await openStaticShop(page);
  await widget.getByTestId("phone").fill("088 123 1111");
  await expect(widget.getByTestId("pay")).toHaveText("Pay $25.63");
  await widget.getByTestId("pay").click();
  await expect(widget.getByTestId("success")).toBeVisible();
  const { source, executions } = await executionsFor(request, number);
  expect(executions).toHaveLength(1);
  expect(executions[0].status).toBe("COMPLETED");
  expect(source.status).toBe("PAID");
  const events = await page.evaluate(heardEvents);
  expect(events.filter((e) => e.name === "error")).toEqual([]);
  expect(events.find((e) => e.name === "success").detail.reference_id).toBe(executions[0].reference_id);
  expect(log).not.toMatch(/\[(error|crit|alert|emerg)\]/);
});
