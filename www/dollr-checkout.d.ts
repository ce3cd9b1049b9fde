// TypeScript declarations for dollr-checkout: the <dollr-checkout> element, the JS API and the
// details of the events it dispatches (they bubble and cross the shadow boundary).

/** A decimal amount, exact, as a string (e.g. "25.63", "15375"). */
export type DecimalString = string;

/** Payment methods Dollr knows. */
export type PaymentMethod =
  | "MTN_MOMO_LBR" | "ORANGE_MONEY_LBR" | "AIRTEL_RWA" | "MTN_MOMO_RWA" | "ORANGE_MONEY_RWA"
  | "CREDIT_CARD" | "WALLET";

/** What `dollr:status` reports. */
export type CheckoutStatus =
  | "loading" | "editing" | "sending" | "authenticating" | "waiting"
  | "succeeded" | "failed" | "already_paid" | "error";

export interface ReadyDetail {
  source_number: string;
  total: DecimalString;
  currency: string;
  methods: PaymentMethod[];
}

export interface StatusDetail {
  status: CheckoutStatus;
  /** The attempt's idempotency key, once there is one. */
  reference_id: string | null;
}

/** The browser says "paid": verify with Dollr on your server (status/source = PAID) before
 *  fulfilling. This event is a hint, not proof. */
export interface SuccessDetail {
  reference_id: string;
  amount: DecimalString;
  currency: string;
  method: PaymentMethod;
  source_number: string | null;
}

export type FailureReason =
  | "FailureDeclined"
  | "FailureInsufficientFunds"
  | "FailureAuthentication"
  | "FailureGeneric"
  | "CardDeclined";

export interface FailureDetail {
  reference_id: string;
  /** Machine-readable reason: "FailureDeclined", "FailureInsufficientFunds",
   *  "FailureAuthentication", "FailureGeneric" or "CardDeclined". */
  reason: FailureReason;
  /** The sentence the payer saw, in English whatever the `locale`. */
  message: string;
}

/** Why the checkout cannot go on. `Crashed`: the widget stopped on an internal error; in its
 *  place the payer reads that it stopped working and to reload the page: offer another way to
 *  pay, or leave them to reload, which resumes a payment already sent. `LoadFailed`: its files did not download or did not match their integrity digests,
 *  after the loader asked twice more (1 s and 3 s later); or the browser would not compile the
 *  wasm (a page's Content-Security-Policy without 'wasm-unsafe-eval'), told at once.
 *  `InvalidOptions`: a missing or malformed `proxy` or `grant`, or an option of the wrong type.
 *  `ErrorMisconfigured`: the order could not be loaded because the proxy is set up wrongly for
 *  it (Dollr refused its client credentials, or the page's origin is not in its
 *  DOLLR_ALLOWED_ORIGINS), the grant names an order Dollr does not have, no dollr-proxy answers
 *  at the `proxy` URL, or the page's Content-Security-Policy does not let it connect to the
 *  proxy (`connect-src`); the console names the setting, the order, the option or the origin.
 *  The payer reads that the checkout is not set up, and may try again once it is set right.
 *  `ErrorGrantExpired`: the grant ran out (on the form or while paying): mint a fresh one for
 *  the same order and set it (`element.grant`, `update({ grant })`); the checkout starts again
 *  with what the payer typed, and a payment already sent resumes. Call the event's
 *  `preventDefault()` as you start (in `onError`, the event is the second argument): the
 *  payer then reads "Reconnecting your checkout…" instead of being told to reload, for up to
 *  10 s, after which the expiry sentence shows if no grant came. The same holds for
 *  `ErrorGrantInvalid`. `dollr:error` is the only cancelable event. */
export type ErrorCode =
  | "ErrorGrantExpired"
  | "ErrorGrantInvalid"
  | "ErrorAlreadyPaid"
  | "ErrorNetwork"
  | "ErrorRateLimited"
  | "ErrorGeneric"
  | "ErrorMisconfigured"
  | "InvalidOptions"
  | "LoadFailed"
  | "Crashed";

export interface ErrorDetail {
  code: ErrorCode;
  /** An English sentence for your logs. */
  message: string;
}

export interface DollrCheckoutOptions {
  /** URL of your dollr-proxy (absolute, or a path on this origin), e.g. "/api/dollr". */
  proxy: string;
  /** The grant your server minted for this payment. */
  grant: string;
  /** BCP 47 locale, read by its language: "en" (the default) or "fr"; "auto" takes the first
   *  of the browser's languages the widget has, else English. A language with no translation
   *  yet shows English (a console warning says so); it never stops the checkout. The widget's
   *  text, and Stripe's card field, are in (and marked as) the language shown, whatever the
   *  page's or browser's; the widget's text is marked translate="no", so page translators
   *  leave it as it is. The events' `message` stays in English, for your logs. */
  locale?: string;
  /** Minutes a payer may take to approve before being told the payment is still pending
   *  (1–120, default 15; another number is replaced by 15, with a console warning). */
  timeLimitMinutes?: number;
  /** The payer's mobile-money number, when your shop already knows it ("088 123 4567", or
   *  with its country code, "+250 78 123 4567", which chooses the country): entered in the
   *  form for them, who may change it. Checked as if typed: a number that cannot pay says so. */
  phone?: string;
  /** Each callback gets the event's `detail`, then the event itself. */
  onReady?: (detail: ReadyDetail, event: CustomEvent<ReadyDetail>) => void;
  onStatus?: (detail: StatusDetail, event: CustomEvent<StatusDetail>) => void;
  onSuccess?: (detail: SuccessDetail, event: CustomEvent<SuccessDetail>) => void;
  onFailure?: (detail: FailureDetail, event: CustomEvent<FailureDetail>) => void;
  onError?: (detail: ErrorDetail, event: CustomEvent<ErrorDetail>) => void;
}

export interface DollrCheckoutHandle {
  /** Changes options; the widget is rebuilt on the same order with what the payer chose
   *  (unless `phone` changes), and a running payment resumes. Callbacks alone are swapped
   *  without a rebuild; options equal to the current ones change nothing. */
  update(options: Partial<DollrCheckoutOptions>): void;
  /** Puts the keyboard's focus in the checkout, where its screen takes it: the chosen payment
   *  method on the form, the heading or message of any other screen. Does nothing before
   *  `dollr:ready`. `element.focus()` does the same on `<dollr-checkout>`. */
  focus(): void;
  /** Removes the widget and everything it added (listeners, timers, requests, styles). */
  unmount(): void;
}

export interface DollrCheckoutApi {
  mount(element: HTMLElement, options: DollrCheckoutOptions): DollrCheckoutHandle;
  readonly version: string;
}

export type Theme = "light" | "dark" | "auto";

/** `<dollr-checkout proxy grant locale time-limit-minutes phone theme>`. Each attribute is also a
 *  property that reads and writes it (`null` when absent; setting `null` removes it), so a
 *  framework may set either; changing one rebuilds the widget, and a running payment resumes.
 *  Removed, it takes everything it added with it; moved (out and back in by one script), it
 *  keeps its checkout as it was. */
export interface DollrCheckoutElement extends HTMLElement {
  proxy: string | null;
  grant: string | null;
  locale: string | null;
  /** The `time-limit-minutes` attribute, as a number. */
  timeLimitMinutes: number | null;
  phone: string | null;
  theme: Theme | null;
}

declare global {
  interface Window {
    DollrCheckout: DollrCheckoutApi;
  }
  interface HTMLElementTagNameMap {
    "dollr-checkout": DollrCheckoutElement;
  }
  /** The events bubble out of the shadow root to the page: typed on any element, the document
   *  and the window (their event maps all extend this one). */
  interface GlobalEventHandlersEventMap {
    "dollr:ready": CustomEvent<ReadyDetail>;
    "dollr:status": CustomEvent<StatusDetail>;
    "dollr:success": CustomEvent<SuccessDetail>;
    "dollr:failure": CustomEvent<FailureDetail>;
    "dollr:error": CustomEvent<ErrorDetail>;
  }
}
