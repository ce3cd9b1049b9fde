// Demo merchant page: asks the local proxy's sandbox-only route for a fresh invoice and its
// grant (what a shop's backend would do), keeps them so a reload resumes the same
// order, and mounts the widget.
const STORAGE_KEY = "dollr-demo-order";
// localStorage, like a shop's order page: a reload, a reopened tab or a second tab shows the same order.
const PROXY = "/api/dollr";

function wasmReady() {
  if (window.wasmBindings) return Promise.resolve(window.wasmBindings);
  return new Promise((resolve) =>
    addEventListener("TrunkApplicationStarted", () => resolve(window.wasmBindings), { once: true }),
  );
}

async function demo(body) {
  const response = await fetch(`${PROXY}/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  const order = await response.json();
  localStorage.setItem(STORAGE_KEY, JSON.stringify(order));
  return order;
}

// `how`: "kept" reuses the order kept here while its grant lasts, "renew" keeps the order with a
// fresh grant (as a shop's server renews one: a payment already sent for it is followed), "new"
// makes another order.
async function demoOrder(how) {
  const kept = how !== "new" && JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
  if (kept && how === "renew") return demo({ renew: kept.grant });
  if (kept && kept.expires_at * 1000 > Date.now() + 60_000) return kept;
  const query = new URLSearchParams(location.search);
  // `?currency=RWF` for an order in francs, `?fee-bearer=PAYEE` for one whose fees the merchant bears.
  return demo({ currency: query.get("currency") || "USD", fee_bearer: query.get("fee-bearer") || undefined });
}

let handle = null;
// The checkout's language: `?locale=fr` starts in French (`auto`: the browser's language, when
// the widget has it); the "Français" toggle switches between French and English.
let locale = new URLSearchParams(location.search).get("locale") || undefined;
const localeToggle = document.getElementById("locale");
localeToggle.setAttribute("aria-pressed", String(locale === "fr"));
localeToggle.addEventListener("click", () => {
  locale = locale === "fr" ? undefined : "fr";
  localeToggle.setAttribute("aria-pressed", String(locale === "fr"));
  start("kept");
});

async function start(how) {
  const target = document.getElementById("checkout");
  try {
    const [bindings, order] = await Promise.all([wasmReady(), demoOrder(how)]);
    if (handle) handle.unmount();
    target.replaceChildren();
    handle = bindings.mount(target, { proxy: PROXY, grant: order.grant, locale, stylesheet: "/dollr-checkout.css" });
  } catch (error) {
    console.error(error);
    target.textContent = "The demo could not start: is the proxy running (make dev)?";
  }
}

document.getElementById("new-order").addEventListener("click", () => start("new"));
// The widget's two palettes: `theme` on the element it is mounted in (a toggle button, so its
// label stays and its pressed state says which is on).
document.getElementById("theme").addEventListener("click", (event) => {
  const dark = event.currentTarget.getAttribute("aria-pressed") !== "true";
  document.getElementById("checkout").setAttribute("theme", dark ? "dark" : "light");
  event.currentTarget.setAttribute("aria-pressed", String(dark));
});
// The grant ran out while the payer was here: the same order again, with a renewed grant (the
// payer reads that the checkout reconnects meanwhile).
document.getElementById("checkout").addEventListener("dollr:error", (event) => {
  if (event.detail.code !== "ErrorGrantExpired") return;
  event.preventDefault();
  start("renew");
});
start("kept");
