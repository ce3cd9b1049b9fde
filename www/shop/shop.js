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

async function order() {
  const response = await fetch(`${PROXY}/dev/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ currency: "USD" }),
  });
  if (!response.ok) throw new Error(`demo order: HTTP ${response.status}`);
  return response.json();
}

async function addCheckout() {
  const { grant } = await order();
  const element = document.createElement("dollr-checkout");
  element.setAttribute("proxy", PROXY);
  element.setAttribute("grant", grant);
  box.append(element);
}

document.getElementById("add").addEventListener("click", addCheckout);
document.getElementById("remove").addEventListener("click", () => box.replaceChildren());
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
