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

async function demoOrder(fresh) {
  const kept = !fresh && localStorage.getItem(STORAGE_KEY);
  if (kept) {
    const order = JSON.parse(kept);
    if (order.expires_at * 1000 > Date.now() + 60_000) return order;
  }
  const currency = new URLSearchParams(location.search).get("currency") || "USD";
  const response = await fetch(`${PROXY}/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ currency }),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  const order = await response.json();
  localStorage.setItem(STORAGE_KEY, JSON.stringify(order));
  return order;
}

let handle = null;

async function start(fresh) {
  const target = document.getElementById("checkout");
  try {
    const [bindings, order] = await Promise.all([wasmReady(), demoOrder(fresh)]);
    if (handle) handle.unmount();
    target.replaceChildren();
    handle = bindings.mount(target, { proxy: PROXY, grant: order.grant, stylesheet: "/dollr-checkout.css" });
  } catch (error) {
    console.error(error);
    target.textContent = "The demo could not start: is the proxy running (make dev)?";
  }
}

document.getElementById("new-order").addEventListener("click", () => start(true));
start(false);
