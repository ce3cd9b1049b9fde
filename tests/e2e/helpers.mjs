// Shared steps of the end-to-end tests: talk to the sandbox's test hooks like a QA engineer.
import { SANDBOX_PORT } from "./playwright.config.mjs";

export const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;

/** The sandbox ledger: every source and every execution. */
export async function ledger(request) {
  const response = await request.get(`${SANDBOX}/__sandbox/ledger`);
  if (!response.ok()) throw new Error(`ledger: HTTP ${response.status()}`);
  return response.json();
}

/** A fresh invoice and grant from the proxy's sandbox-only route. */
export async function demoOrder(request, currency = "USD") {
  const response = await request.post("/api/dollr/dev/checkout", { data: { currency } });
  if (!response.ok()) throw new Error(`demo order: HTTP ${response.status()}`);
  return response.json();
}
