// What a merchant's backend developer does after reading the README's "Keeping it running": puts
// the README's settings file and systemd unit on their server, as written. systemd is not this
// machine's init, so it cannot start the unit here. Instead the unit is checked with systemd's own
// tools, and the proxy is run as the unit runs it (a user of its own, no capabilities, no new
// privileges, the settings file's variables alone, from `/`) under strace, while it starts, takes
// a payment and is stopped with another still with Dollr. Everything it did must be something
// the unit's confinement allows, or systemd would kill it or refuse it on the merchant's server.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import jwt from "jsonwebtoken";
import { SANDBOX_PORT } from "./playwright.config.mjs";
import { armFault, demoOrder, disarmFaults, ledger, readmeExample } from "./helpers.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROXY = `${ROOT}target/debug/dollr-proxy`;
/** Where the test puts the unit, the settings file and the trace, under target/. */
const DIR = `${ROOT}target/e2e-service`;
const PORT = Number(process.env.E2E_SERVICE_PORT || 18791);
const API = `http://127.0.0.1:${PORT}/api/dollr`;
/** The merchant's own grant secret, in place of the README's `…`. */
const GRANT_SECRET = "a-merchant-secret-of-at-least-32-characters";
/** The user the proxy runs as: as root, one of no one's, as `DynamicUser=yes` picks one; run by
 *  a developer without root, that developer, as unprivileged already. */
const AS_NO_ONE = process.getuid() === 0 ? ["--reuid=65534", "--regid=65534", "--clear-groups"] : [];

/** The README's unit, as written. */
const UNIT = readmeExample("`/etc/systemd/system/dollr-proxy.service`:", "ini");
/** The README's settings file, as written. */
const SETTINGS = readmeExample("then fill it in):", "sh");

/** The unit's `[Service]` settings: each key's values, in order (a key may be given more than once). */
function serviceSettings(unit) {
  const settings = {};
  let section = "";
  for (const line of unit.split("\n").map((l) => l.trim())) {
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("[")) { section = line; continue; }
    if (section !== "[Service]") continue;
    const at = line.indexOf("=");
    (settings[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return settings;
}
const SERVICE = serviceSettings(UNIT);
/** A `[Service]` setting given once. */
const one = (key) => {
  expect(SERVICE[key], `the README's unit sets ${key} once`).toHaveLength(1);
  return SERVICE[key][0];
};

/** The README's settings file as a merchant fills it in: each `…` given a value of the sandbox's. */
function filledSettings() {
  const values = {
    DOLLR_CLIENT_ID: "sandbox_client",
    DOLLR_CLIENT_SECRET: "sandbox_secret",
    DOLLR_GRANT_SECRET: GRANT_SECRET,
    STRIPE_PUBLISHABLE_KEY: "pk_test_51ServiceTest",
  };
  const settings = {};
  for (const line of SETTINGS.split("\n").filter((l) => l.trim() && !l.startsWith("#"))) {
    const [key, value] = [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)];
    expect(values, `README: the settings file sets ${key}, which this test has no value for`).toHaveProperty(key);
    expect(value, `README: ${key} in the settings file`).toMatch(/…$/);
    settings[key] = values[key];
  }
  return settings;
}

/** The system calls that systemd's syscall group `name` holds, its groups within expanded. */
const groups = new Map();
function syscallsOf(name) {
  if (!groups.has(name)) {
    const calls = new Set();
    const listed = execFileSync("systemd-analyze", ["syscall-filter", name], { encoding: "utf8" }).split("\n").slice(1);
    for (const entry of listed.map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))) {
      for (const call of entry.startsWith("@") ? syscallsOf(entry) : [entry]) calls.add(call);
    }
    groups.set(name, calls);
  }
  return groups.get(name);
}

/** What the unit's `SystemCallFilter` lines allow: the first lists what is allowed, each
 *  line starting with `~` takes its groups and calls away. */
function allowedSyscalls(lines) {
  const expand = (line) => line.replace(/^~/, "").split(/\s+/).flatMap((e) => (e.startsWith("@") ? [...syscallsOf(e)] : [e]));
  const [allow, ...rest] = lines;
  expect(allow.startsWith("~"), "the unit's first SystemCallFilter lists what is allowed").toBe(false);
  const allowed = new Set(expand(allow));
  for (const line of rest) {
    const calls = expand(line);
    if (line.startsWith("~")) calls.forEach((c) => allowed.delete(c));
    else calls.forEach((c) => allowed.add(c));
  }
  return allowed;
}

/** The calls of a strace log (`strace -f`, pid first on each line) made by the proxy, from its
 *  own start on: each call's name and its arguments as strace wrote them. */
function proxyCalls(trace) {
  const lines = trace.split("\n").map((l) => l.replace(/^\d+\s+/, ""));
  const start = lines.findIndex((l) => l.startsWith(`execve("${PROXY}"`));
  expect(start, "the trace shows the proxy started").toBeGreaterThanOrEqual(0);
  return lines.slice(start).flatMap((l) => {
    const call = /^([a-z0-9_]+)\((.*)/.exec(l);
    return call ? [{ name: call[1], args: call[2] }] : [];
  });
}

test.beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
});
test.afterAll(() => rmSync(DIR, { recursive: true, force: true }));

test("the README's unit is one systemd reads without a word, for the binary and settings file the README puts in place, and its confinement rates OK", () => {
  expect(one("ExecStart")).toBe("/usr/local/bin/dollr-proxy");
  expect(one("EnvironmentFile")).toBe("/etc/dollr-proxy.env");
  // The unit where systemd finds it, naming the binary and the file where this test has them.
  const unit = `${DIR}/dollr-proxy.service`;
  writeFileSync(`${DIR}/dollr-proxy.env`, Object.entries(filledSettings()).map(([key, value]) => `${key}=${value}\n`).join(""), { mode: 0o600 });
  writeFileSync(unit, UNIT.replace("/usr/local/bin/dollr-proxy", PROXY).replace("/etc/dollr-proxy.env", `${DIR}/dollr-proxy.env`));

  const verified = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
  expect(`${verified.stdout}${verified.stderr}`).toBe(""); // an unknown or misspelt setting is said here
  expect(verified.status).toBe(0);

  const rated = spawnSync("systemd-analyze", ["security", "--offline=true", unit], { encoding: "utf8" });
  expect(rated.status, rated.stderr).toBe(0);
  const [, level, verdict] = /Overall exposure level for dollr-proxy\.service: ([\d.]+) (\S+)/.exec(rated.stdout) ?? [];
  console.log(`systemd-analyze security: exposure ${level} ${verdict}`);
  expect(verdict).toBe("OK");
  expect(Number(level)).toBeLessThanOrEqual(1.2);
});

test("run as the README's unit runs it, with its settings file filled in: it starts, takes a payment, is stopped with another still with Dollr and waits for its answer, and did nothing the unit's confinement forbids", async ({ request }) => {
  test.setTimeout(120_000);
  expect(existsSync("/usr/bin/strace"), "strace (scripts/setup.sh installs it)").toBe(true);
  // As systemd starts it: the settings file's variables, PATH as systemd sets it, and, for this
  // test alone, the sandbox in Dollr's place (under a name, as api.heydollr.app is resolved) and
  // a port of the test's.
  const env = {
    ...filledSettings(),
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
    DOLLR_BASE_URL: `http://localhost:${SANDBOX_PORT}`,
    DOLLR_PROXY_ADDR: `127.0.0.1:${PORT}`,
  };
  const trace = `${DIR}/trace`;
  // strace -D traces from a detached process, so the process spawned here is the proxy itself,
  // and the signal sent to it is the one systemd sends.
  const proxy = spawn("/usr/bin/strace", [
    "-D", "-f", "-qq", "-s", "256", "-o", trace,
    "/usr/bin/setpriv", ...AS_NO_ONE, "--inh-caps=-all", "--no-new-privs",
    PROXY,
  ], { cwd: "/", env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proxy.stdout.on("data", (chunk) => { log += chunk; });
  proxy.stderr.on("data", (chunk) => { log += chunk; });
  const exited = new Promise((resolve) => proxy.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })));
  try {
    await expect.poll(async () => (await request.get(`http://127.0.0.1:${PORT}/healthz`).catch(() => null))?.status(), { timeout: 30_000 }).toBe(200);
    expect(log).toContain("LIVE MODE");
    expect(log).toContain("Dollr accepted the client credentials");

    /** A payer's payment, by mobile money, for a fresh order of the sandbox with a grant minted
     *  with the settings file's secret: the proxy's answer. */
    const pay = async (reference_id) => {
      const { grant: demo } = await demoOrder(request);
      const { source_id, party_id } = jwt.decode(demo);
      const grant = jwt.sign({ source_type: "INVOICE", source_id, party_id, amount: "25.00", currency: "USD" }, GRANT_SECRET, { algorithm: "HS256", expiresIn: "1h" });
      const headers = { Authorization: `Bearer ${grant}` };
      expect((await request.get(`${API}/v1/checkout`, { headers })).status()).toBe(200);
      const sent = await request.post(`${API}/v1/payments`, { headers, data: { reference_id, method: "MTN_MOMO_LBR", currency: "USD", phone: "231881231111" }, timeout: 30_000 });
      return { sent, headers };
    };

    const first = randomUUID();
    const { sent, headers } = await pay(first);
    expect(sent.status()).toBe(200);
    await expect.poll(async () => (await (await request.get(`${API}/v1/payments/${first}`, { headers })).json()).status, { timeout: 15_000 }).toBe("COMPLETED");

    // A second payment, its answer from Dollr held back, and the proxy stopped meanwhile.
    const second = randomUUID();
    await armFault(request, { route: "executions/collection", kind: "delay", ms: 4000, count: 1 });
    try {
      const paying = pay(second);
      // Well within the 4 s Dollr holds its answer; the log says whether it was still with Dollr.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const stopped = Date.now();
      proxy.kill("SIGTERM");
      const answer = (await paying).sent;
      const answered = Date.now();
      // The payer's answer, although the proxy was stopping: it came when Dollr's did, seconds
      // after the signal, so the payment was still with Dollr when the proxy was told to stop.
      expect(answer.status()).toBe(200);
      expect(answered - stopped).toBeGreaterThan(1000);
      const { code, signal, at } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(at).toBeGreaterThanOrEqual(answered - 50);
      expect(log).toContain(`reference_id=${second}`); // logged, not cut off
      const timeoutStop = Number(one("TimeoutStopSec").replace(/s$/, ""));
      console.log(`stopped ${((at - stopped) / 1000).toFixed(1)} s after SIGTERM (TimeoutStopSec ${timeoutStop} s)`);
      expect(at - stopped).toBeLessThan(timeoutStop * 1000);
    } finally {
      await disarmFaults(request);
    }
    const executions = (await ledger(request)).executions.filter((e) => e.reference_id === first || e.reference_id === second);
    expect(executions).toHaveLength(2);
  } finally {
    if (proxy.exitCode === null && proxy.signalCode === null) proxy.kill("SIGKILL");
  }

  // The trace is whole once strace has written the proxy's end.
  await expect.poll(() => readFileSync(trace, "utf8"), { timeout: 10_000 }).toMatch(/exit_group\(0\)\s+= \?\s*$/);
  const calls = proxyCalls(readFileSync(trace, "utf8"));

  // SystemCallFilter: each call allowed, else systemd kills the proxy (SIGSYS).
  const allowed = allowedSyscalls(SERVICE.SystemCallFilter);
  console.log(`${calls.length} system calls traced, ${new Set(calls.map((c) => c.name)).size} distinct; the unit's filter allows ${allowed.size}`);
  expect([...new Set(calls.map((c) => c.name))].filter((name) => !allowed.has(name)), "system calls outside the unit's SystemCallFilter").toEqual([]);
  // RestrictAddressFamilies: each socket of a family the unit allows.
  const families = new Set(one("RestrictAddressFamilies").split(/\s+/));
  const opened = calls.filter((c) => c.name === "socket" || c.name === "socketpair").map((c) => c.args.split(",")[0]);
  expect(opened.length).toBeGreaterThan(0);
  expect(opened.filter((family) => !families.has(family)), "sockets outside RestrictAddressFamilies").toEqual([]);
  // MemoryDenyWriteExecute: no memory both writable and executable, none made executable later.
  expect(one("MemoryDenyWriteExecute")).toBe("yes");
  expect(calls.filter((c) => (c.name === "mmap" && /PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE/.test(c.args)) || (/mprotect$/.test(c.name) && c.args.includes("PROT_EXEC")))
    .map((c) => `${c.name}(${c.args}`)).toEqual([]);
  // ProtectSystem=strict, PrivateTmp, DynamicUser: nothing opened to write, nothing created.
  expect(one("ProtectSystem")).toBe("strict");
  const files = calls.filter((c) => /^(open|openat|openat2|creat)$/.test(c.name));
  expect(files.length).toBeGreaterThan(0);
  expect(files.filter((c) => /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(c.args) || c.name === "creat").map((c) => `${c.name}(${c.args}`)).toEqual([]);
  expect(calls.filter((c) => /^(mkdir|mkdirat|unlink|unlinkat|rename|renameat|renameat2|symlink|symlinkat|link|linkat)$/.test(c.name)).map((c) => c.name)).toEqual([]);
  // ProtectHome, PrivateDevices, ProcSubset=pid: nothing read from homes, from devices beyond
  // the few a private /dev keeps, or from /proc beyond the process's own.
  const paths = files.map((c) => /"([^"]*)"/.exec(c.args)?.[1] ?? "");
  expect(one("ProtectHome")).toBe("yes");
  expect(paths.filter((p) => /^\/(home|root|run\/user)(\/|$)/.test(p))).toEqual([]);
  expect(one("PrivateDevices")).toBe("yes");
  expect(paths.filter((p) => p.startsWith("/dev/") && !/^\/dev\/(null|zero|full|random|urandom|tty|pts\/ptmx|ptmx|shm\/.*)$/.test(p))).toEqual([]);
  expect(one("ProcSubset")).toBe("pid");
  expect(paths.filter((p) => p.startsWith("/proc/") && !/^\/proc\/(self|thread-self|\d+)\//.test(p))).toEqual([]);
});

test("a wrong setting stops it with the status the README's unit does not start it again for, and the reason in its log", () => {
  const status = one("RestartPreventExitStatus");
  const stopped = spawnSync(PROXY, [], {
    cwd: "/",
    env: { ...filledSettings(), DOLLR_GRANT_SECRET: "too-short", DOLLR_PROXY_ADDR: `127.0.0.1:${PORT}` },
    encoding: "utf8",
    timeout: 10_000,
  });
  expect(String(stopped.status)).toBe(status);
  expect(stopped.stderr).toMatch(/^dollr-proxy: DOLLR_GRANT_SECRET .*32/m);
  // While one that may pass (its address taken) is started again.
  const taken = spawnSync(PROXY, [], {
    cwd: "/",
    env: { ...filledSettings(), DOLLR_BASE_URL: `http://localhost:${SANDBOX_PORT}`, DOLLR_PROXY_ADDR: `127.0.0.1:${SANDBOX_PORT}` },
    encoding: "utf8",
    timeout: 10_000,
  });
  expect(taken.stderr).toContain("cannot listen on");
  expect(String(taken.status)).not.toBe(status);
  expect(one("Restart")).toBe("on-failure");
});
