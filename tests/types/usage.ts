// A merchant's TypeScript, checked against the declarations: what must compile does, and each
// `@ts-expect-error` line is a mistake the declarations must catch (tsc fails if one compiles).
import type {
  DollrCheckoutHandle,
  DollrCheckoutOptions,
  ErrorCode,
  FailureReason,
  SuccessDetail,
} from "../../www/dollr-checkout";

declare function fulfilOnServer(referenceId: string): void;
declare function offerAnotherWayToPay(code: ErrorCode): void;

const options: DollrCheckoutOptions = {
  proxy: "/api/dollr",
  grant: "header.payload.signature",
  locale: "en",
  timeLimitMinutes: 15,
  phone: "+231 88 123 4567",
  onReady: (detail) => console.log(detail.source_number, detail.total, detail.methods.includes("MTN_MOMO_LBR")),
  onStatus: (detail) => detail.status === "waiting" && console.log(detail.reference_id?.length),
  onSuccess: (detail: SuccessDetail) => fulfilOnServer(detail.reference_id),
  onFailure: (detail) => console.log(detail.reason satisfies FailureReason, detail.message),
  onError: (detail, event) => {
    // A shop renewing a refused grant says so, and the payer reads that the checkout reconnects.
    if (detail.code === "ErrorGrantExpired") event.preventDefault();
    else offerAnotherWayToPay(detail.code);
  },
};

const host = document.createElement("div");
const handle: DollrCheckoutHandle = window.DollrCheckout.mount(host, options);
handle.update({ grant: "another.grant.token" });
handle.focus();
handle.unmount();
console.log(window.DollrCheckout.version.toUpperCase());

// The element: typed by its tag name, its attributes as properties.
const element = document.createElement("dollr-checkout");
element.proxy = "/api/dollr";
element.grant = "header.payload.signature";
element.timeLimitMinutes = 20;
element.phone = "088 123 4567";
element.theme = "dark";
element.locale = null;
document.body.append(element);
const fromPage = document.querySelector("dollr-checkout");
if (fromPage && fromPage.grant !== null) console.log(fromPage.grant.length);

// Events: typed details on the element and anywhere they bubble to.
element.addEventListener("dollr:success", (event) => fulfilOnServer(event.detail.reference_id));
document.body.addEventListener("dollr:error", (event) => {
  switch (event.detail.code) {
    case "Crashed":
    case "LoadFailed":
      offerAnotherWayToPay(event.detail.code);
      break;
    default:
      console.log(event.detail.message);
  }
});
// The document and the window hear them too (they bubble out of the shadow root), typed the same.
document.addEventListener("dollr:success", (event) => fulfilOnServer(event.detail.reference_id));
window.addEventListener("dollr:failure", (event) => console.log(event.detail.reason satisfies FailureReason));
document.addEventListener("dollr:error", (event) => {
  // @ts-expect-error: an error's detail has no `reason`
  console.log(event.detail.reason);
});
element.addEventListener("dollr:status", (event) => {
  // @ts-expect-error: not a status the widget reports
  if (event.detail.status === "pending") console.log("never");
});

// @ts-expect-error: the grant is required
window.DollrCheckout.mount(host, { proxy: "/api/dollr" });
// @ts-expect-error: minutes are a number
window.DollrCheckout.mount(host, { proxy: "/api/dollr", grant: "a.b.c", timeLimitMinutes: "15" });
// @ts-expect-error: a number is written as text (its leading 0 and spacing matter)
window.DollrCheckout.mount(host, { proxy: "/api/dollr", grant: "a.b.c", phone: 881234567 });
// @ts-expect-error: callbacks receive the detail, typed; a success has no `code`
window.DollrCheckout.mount(host, { proxy: "/api/dollr", grant: "a.b.c", onSuccess: (d) => d.code });
// @ts-expect-error: an error code the widget never sends
const unknownCode: ErrorCode = "ErrorTeapot";
console.log(unknownCode);
// @ts-expect-error: themes are light, dark or auto
element.theme = "blue";
