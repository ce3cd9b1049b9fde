// The static shop's own script (allowed by script-src 'self'): gets a demo order and grant from
// the proxy's sandbox-only route, as a shop's server would render them, and adds the element.
const PROXY = "/api/dollr";
const list = document.getElementById("events");
const box = document.getElementById("checkouts");

for (const name of ["ready", "status", "success", "failure", "error"]) {
  document.addEventListener(`dollr:${name}`, (event) => {
    const item = document.createElement("li");
    item.dataset.event = name;
    item.textContent = `${name} ${JSON.stringify(event.detail)}`;
    list.append(item);
  });
}

// `?grant-seconds=30` makes the order's first grant run out sooner than the usual hour, to watch
// the renewal below at work.
const QUERY = new URLSearchParams(location.search);
const GRANT_SECONDS = Number(QUERY.get("grant-seconds")) || undefined;
// `?fee-bearer=PAYEE` makes an order whose fees the merchant bears: the payer pays its total.
const FEE_BEARER = QUERY.get("fee-bearer") || undefined;
// `?locale=fr` shows the checkout in French (`auto`: the browser's language, when the widget has
// it); the "Français" toggle switches every checkout between French and English.
let locale = QUERY.get("locale");

async function demo(body) {
  const response = await fetch(`${PROXY}/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  return response.json();
}

const order = () => demo({ currency: "USD", grant_seconds: GRANT_SECONDS, fee_bearer: FEE_BEARER });

// Grants are short-lived. When one runs out, the shop's server mints another for the same order
// and the page hands it to the element: the checkout starts again on that order, and a payment
// already sent is followed, never sent twice. `preventDefault()` tells the widget a grant is on
// its way, so the payer reads that the checkout reconnects rather than that it has expired.
document.addEventListener("dollr:error", (event) => {
  if (event.detail.code !== "ErrorGrantExpired") return;
  event.preventDefault();
  const element = event.target;
  demo({ renew: element.grant })
    .then(({ grant }) => { element.grant = grant; })
    .catch((error) => console.error(error));
});

// Where the checkout cannot load at all (its files never arrived, or the browser cannot run
// them), the element stays empty and the page hears LoadFailed: the shop says so in its own words
// (a real shop would offer another way to pay here).
document.addEventListener("dollr:error", (event) => {
  if (event.detail.code !== "LoadFailed") return;
  const note = document.createElement("p");
  note.className = "checkout-unavailable";
  note.setAttribute("role", "alert");
  note.textContent = "Our checkout couldn't load. Please check your connection and reload the page.";
  event.target.after(note);
});

async function addCheckout() {
  const { grant } = await order();
  const element = document.createElement("dollr-checkout");
  element.setAttribute("proxy", PROXY);
  element.setAttribute("grant", grant);
  if (locale) element.setAttribute("locale", locale);
  box.append(element);
}

document.getElementById("add").addEventListener("click", addCheckout);
document.getElementById("remove").addEventListener("click", () => { box.textContent = ""; });
const localeToggle = document.getElementById("locale");
localeToggle.setAttribute("aria-pressed", String(locale === "fr"));
// Changing the attribute rebuilds each checkout in the new language, with what the payer typed.
localeToggle.addEventListener("click", () => {
  locale = locale === "fr" ? null : "fr";
  localeToggle.setAttribute("aria-pressed", String(locale === "fr"));
  for (const element of box.querySelectorAll("dollr-checkout")) {
    if (locale) element.setAttribute("locale", locale);
    else element.removeAttribute("locale");
  }
});
document.getElementById("theme").addEventListener("click", (event) => {
  const dark = event.target.textContent === "Dark theme";
  for (const element of box.querySelectorAll("dollr-checkout")) element.setAttribute("theme", dark ? "dark" : "light");
  event.target.textContent = dark ? "Light theme" : "Dark theme";
});
// A shop whose server rendered the element (with its grant) into the page needs nothing more.
if (!box.querySelector("dollr-checkout")) {
  addCheckout().catch((error) => {
    box.textContent = "The demo could not start: is the proxy running (make dev)?";
    console.error(error);
  });
}
