// What a merchant's backend developer does after reading the README's "Running it on your
// server": puts the proxy behind their shop's web server (nginx, Apache or Caddy) with the
// README's lines for it, as they are written, so the widget's calls reach it under the shop's own
// origin. Each web server runs as a process of the test's own on loopback, in front of the proxy
// that serves the built files, and a payer pays through it twice: over plain HTTP on a port of its
// own (as a shop on a port other than 443 would be), and over HTTPS with HTTP/2, as a shop's site
// is served, where the browser names the host in HTTP/2's `:authority` instead of a `Host` line.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import { PROXY_PORT } from "./playwright.config.mjs";
import { executionsFor, readmeExample } from "./helpers.mjs";
import { heardEvents, openStaticShop } from "./static-shop.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The proxy's address in the README's lines. */
const README_PROXY = "127.0.0.1:8787";

/** The README's lines for a web server, after `lead`, in `language`, with the proxy's address
 *  where this test runs it. */
function readmeLines(lead, language) {
  const lines = readmeExample(lead, language);
  if (!lines.includes(README_PROXY)) throw new Error(`README: the ${language} lines no longer pass to ${README_PROXY}`);
  return lines.replaceAll(README_PROXY, `127.0.0.1:${PROXY_PORT}`);
}

/** Each web server: its program and arguments for a configuration in `dir`; that configuration,
 *  a whole one of the test's own, with the shop's site (here the built files the proxy serves)
 *  beside the README's lines, on `port` over HTTP and on `tls` over HTTPS with HTTP/2 (the
 *  certificate `dir`/shop.crt, its key `dir`/shop.key), logging to its output or to `error.log` in
 *  `dir`; and what in its log is an error. */
const SERVERS = {
  nginx: {
    port: Number(process.env.E2E_NGINX_PORT || 18779),
    tls: Number(process.env.E2E_NGINX_TLS_PORT || 18794),
    program: "/usr/sbin/nginx",
    // One process (no workers to switch users), its files under dir.
    args: (dir) => ["-p", dir, "-c", `${dir}/server.conf`, "-e", "stderr"],
    config: (dir, port, tls) => `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${tls} ssl http2;
    ssl_certificate ${dir}/shop.crt;
    ssl_certificate_key ${dir}/shop.key;
    location / {
      proxy_pass http://127.0.0.1:${PROXY_PORT};
    }
${readmeLines("`server` block:", "nginx")}  }
}
`,
    errors: /\[(error|crit|alert|emerg)\]/,
  },
  Apache: {
    port: Number(process.env.E2E_APACHE_PORT || 18792),
    tls: Number(process.env.E2E_APACHE_TLS_PORT || 18795),
    program: "/usr/sbin/apache2",
    // One process in the foreground (-X), its files under dir.
    args: (dir) => ["-X", "-f", `${dir}/server.conf`],
    config: (dir, port, tls) => `ServerRoot ${dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
Listen 127.0.0.1:${tls} https
PidFile ${dir}/apache.pid
DefaultRuntimeDir ${dir}
Mutex file:${dir}
ErrorLog ${dir}/error.log
LogLevel warn
User nobody
Group nogroup
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
LoadModule http2_module /usr/lib/apache2/modules/mod_http2.so
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
<VirtualHost 127.0.0.1:${port}>
${readmeLines("is sent the page's host too):", "apache")}ProxyPass / http://127.0.0.1:${PROXY_PORT}/
</VirtualHost>
<VirtualHost 127.0.0.1:${tls}>
SSLEngine on
SSLCertificateFile ${dir}/shop.crt
SSLCertificateKeyFile ${dir}/shop.key
Protocols h2 http/1.1
${readmeLines("is sent the page's host too):", "apache")}ProxyPass / http://127.0.0.1:${PROXY_PORT}/
</VirtualHost>
`,
    errors: /:(error|crit|alert|emerg)\]/,
  },
  Caddy: {
    port: Number(process.env.E2E_CADDY_PORT || 18793),
    tls: Number(process.env.E2E_CADDY_TLS_PORT || 18796),
    program: "/usr/bin/caddy",
    args: (dir) => ["run", "--config", `${dir}/server.conf`, "--adapter", "caddyfile"],
    // No admin endpoint, and its storage under dir.
    config: (dir, port, tls) => `{
\tadmin off
\tstorage file_system ${dir}/data
\tauto_https disable_redirects
}
http://127.0.0.1:${port} {
${readmeLines("in your site's block:", "caddyfile")}\treverse_proxy 127.0.0.1:${PROXY_PORT}
}
https://127.0.0.1:${tls} {
\ttls ${dir}/shop.crt ${dir}/shop.key
${readmeLines("in your site's block:", "caddyfile")}\treverse_proxy 127.0.0.1:${PROXY_PORT}
}
`,
    errors: /"level":"(error|fatal|panic)"/,
  },
};

for (const [name, server] of Object.entries(SERVERS)) {
  test.describe(name, () => {
    const shop = `http://127.0.0.1:${server.port}`;
    const secureShop = `https://127.0.0.1:${server.tls}`;
    /** Its files (its configuration, pid, temporary files), under target/. */
    const dir = `${ROOT}target/e2e-${name.toLowerCase()}`;
    let running;
    /** Settles once it has exited, or failed to start. */
    let exited;
    /** What it wrote to its output. */
    let output = "";
    /** What it logged: its output, and its error.log. */
    const log = () => output + (existsSync(`${dir}/error.log`) ? readFileSync(`${dir}/error.log`, "utf8") : "");
    test.beforeAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      // The shop's certificate, for 127.0.0.1, made for the test (the browser is told to accept it).
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", `${dir}/shop.key`, "-out", `${dir}/shop.crt`], { stdio: "ignore" });
      writeFileSync(`${dir}/server.conf`, server.config(dir, server.port, server.tls));
      running = spawn(server.program, server.args(dir), {
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        stdio: ["ignore", "pipe", "pipe"],
      });
      running.stdout.on("data", (chunk) => { output += chunk; });
      running.stderr.on("data", (chunk) => { output += chunk; });
      exited = new Promise((resolve) => {
        running.once("exit", resolve);
        running.once("error", (error) => { output += `${error}\n`; resolve(); }); // not started at all
      });
      // Ready once it answers: the shop's page through it.
      for (let tries = 0; ; tries++) {
        const ready = await fetch(`${shop}/shop/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
        if (ready) break;
        const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))]);
        if (gone || tries > 100) throw new Error(`${name} did not start: ${log()}`);
      }
    });

    test.afterAll(async () => {
      if (running?.pid !== undefined && running.exitCode === null) {
        running.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    /** Pays at the static shop through the web server, and checks the payment as the
     *  merchant would: charged once, the order paid, the events, nothing in the server's log at
     *  error level. Returns the protocols the widget's calls went over. */
    async function payThrough(page, request) {
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
      expect(log()).not.toMatch(server.errors);
      return page.evaluate(() => [
        ...new Set(performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/dollr/v1/")).map((e) => e.nextHopProtocol)),
      ]);
    }

    test.describe("over HTTP", () => {
      test.use({ baseURL: shop });
      test(`the proxy behind ${name} with the README's lines, on a port of the shop's own: the page's calls are its own origin's, and a payer pays, charged once`, async ({ page, request }) => {
        expect(await payThrough(page, request)).toEqual(["http/1.1"]);
      });
    });

    test.describe("over HTTPS", () => {
      test.use({ baseURL: secureShop, ignoreHTTPSErrors: true });
      test(`the proxy behind ${name} with the README's lines, over HTTPS and HTTP/2: the page's host, sent as HTTP/2's :authority, still reaches the proxy, and a payer pays, charged once`, async ({ page, request }) => {
        expect(await payThrough(page, request)).toEqual(["h2"]);
      });
    });
  });
}
