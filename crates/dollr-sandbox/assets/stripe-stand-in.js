/* A stand-in for Stripe.js, served only by the dollr sandbox, so card and 3-D Secure flows run
 * offline. It implements the subset dollr-checkout uses: Stripe(key), elements().create("card"),
 * element.mount/on/destroy, createPaymentMethod and confirmCardPayment. Stripe's test card
 * numbers map to Stripe's test PaymentMethod ids; 3-D Secure shows a visible challenge whose
 * answer is reported to the sandbox. Like Stripe's card field, which draws in an iframe, its
 * inputs take nothing from the page's CSS: their text colour, font and size come only from the
 * `style` option (dark system-font text without it), on a transparent background, and the
 * element it is mounted in gets Stripe's classes (`StripeElement`, `StripeElement--focus`,
 * `--invalid`, `--complete`, `--empty`). Its field labels and placeholders are in the language of
 * `elements({ locale })`, English or French, which like Stripe's defaults to "auto": the
 * browser's language. Production always loads Stripe.js from Stripe. */
(function () {
  "use strict";
  var script = document.currentScript;
  var sandbox = script && script.src ? new URL(script.src).origin : "";
  var TEST_CARDS = {
    "4242424242424242": { id: "pm_card_visa", brand: "visa" },
    "5555555555554444": { id: "pm_card_mastercard", brand: "mastercard" },
    "4000002760003184": { id: "pm_card_threeDSecure2Required", brand: "visa" },
    "4000000000003220": { id: "pm_card_threeDSecure2Required", brand: "visa" },
    "4000002500003155": { id: "pm_card_authenticationRequiredOnSetup", brand: "visa" },
    "4000000000000002": { id: "pm_card_chargeDeclined", brand: "visa" },
    "4000000000009995": { id: "pm_card_chargeDeclinedInsufficientFunds", brand: "visa" },
  };

  function digits(text) { return String(text || "").replace(/\D/g, ""); }
  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = +number[number.length - 1 - i];
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return number.length >= 12 && sum % 10 === 0;
  }
  function problem(code, message) { return { type: "validation_error", code: code, message: message }; }
  // The card field's words, as [label, placeholder] per input, in the languages it knows.
  var WORDS = {
    en: { number: ["Card number", "1234 1234 1234 1234"], expiry: ["Expiration date (MM / YY)", "MM / YY"], cvc: ["Security code", "CVC"] },
    fr: { number: ["Numéro de carte", "1234 1234 1234 1234"], expiry: ["Date d'expiration (MM / AA)", "MM / AA"], cvc: ["Code de sécurité", "CVC"] },
  };
  function words(locale) {
    var tag = !locale || locale === "auto" ? navigator.language : locale;
    return WORDS[String(tag).toLowerCase().split("-")[0]] || WORDS.en;
  }

  function CardElement(options, locale) {
    this._words = words(locale);
    this._style = (options && options.style) || {};
    this._handlers = {};
    this._node = null;
    this._inputs = null;
    this._left = {}; // the sub-fields the payer has left at least once
  }
  CardElement.prototype._state = function () {
    var number = digits(this._inputs.number.value);
    var expiry = digits(this._inputs.expiry.value);
    var cvc = digits(this._inputs.cvc.value);
    var empty = !number && !expiry && !cvc;
    var error = null;
    if (number.length >= 16 && !luhn(number)) error = problem("invalid_number", "Your card number is invalid.");
    else if (expiry.length === 4) {
      var month = +expiry.slice(0, 2), year = 2000 + +expiry.slice(2);
      var now = new Date();
      if (month < 1 || month > 12) error = problem("invalid_expiry_month", "Your card's expiration date is invalid.");
      else if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1))
        error = problem("invalid_expiry_year_past", "Your card's expiration year is in the past.");
    }
    // As Stripe does, a sub-field left part-filled is reported incomplete (not while typing).
    var left = this._left;
    var short = function (name, value, length) { return left[name] && value && value.length < length; };
    if (!error) { // an invalid value is reported first
      if (short("number", number, 16)) error = problem("incomplete_number", "Your card number is incomplete.");
      else if (short("expiry", expiry, 4)) error = problem("incomplete_expiry", "Your card's expiration date is incomplete.");
      else if (short("cvc", cvc, 3)) error = problem("incomplete_cvc", "Your card's security code is incomplete.");
    }
    var complete = !error && number.length === 16 && expiry.length === 4 && cvc.length >= 3;
    var card = TEST_CARDS[number];
    return { elementType: "card", empty: empty, complete: complete, error: error || undefined, brand: card ? card.brand : "unknown", _number: number, _expiry: expiry, _cvc: cvc };
  };
  // What Stripe's iframe would show: the style option's variants, base first.
  CardElement.prototype._paint = function (state) {
    var base = this._style.base || {}, invalid = this._style.invalid || {};
    var color = (state.error && invalid.color) || base.color || "#30313d";
    var host = this._host;
    for (var name in this._inputs) {
      var input = this._inputs[name];
      input.style.color = color;
      input.style.fontFamily = base.fontFamily || "system-ui, sans-serif";
      input.style.fontSize = base.fontSize || "16px";
    }
    if (!host) return;
    host.classList.toggle("StripeElement--invalid", !!state.error);
    host.classList.toggle("StripeElement--complete", state.complete);
    host.classList.toggle("StripeElement--empty", state.empty);
  };
  CardElement.prototype._emit = function (name, payload) {
    (this._handlers[name] || []).forEach(function (h) { try { h(payload); } catch (e) { setTimeout(function () { throw e; }); } });
  };
  CardElement.prototype.on = function (name, handler) {
    (this._handlers[name] = this._handlers[name] || []).push(handler);
    return this;
  };
  CardElement.prototype.off = function (name, handler) {
    this._handlers[name] = (this._handlers[name] || []).filter(function (h) { return h !== handler; });
    return this;
  };
  CardElement.prototype.mount = function (target) {
    var host = typeof target === "string" ? document.querySelector(target) : target;
    if (!host) throw new Error("stripe stand-in: mount target not found");
    var self = this;
    // Stripe's card field is an iframe in a container whose inline styles are all `!important`,
    // so nothing the page's stylesheets say reaches the fields. The stand-in does the same with
    // an open shadow root (tests find the inputs through it) in a box styled as Stripe's.
    var box = document.createElement("div");
    box.className = "stripe-stand-in-card";
    box.setAttribute("data-testid", "stripe-card");
    box.style.cssText = "margin:0!important;padding:0!important;border:none!important;display:block!important;background:transparent!important;position:relative!important;opacity:1!important";
    var row = document.createElement("div");
    row.style.cssText = "display:flex;gap:12px;flex-wrap:wrap";
    box.attachShadow({ mode: "open" }).appendChild(row);
    function field(name, width, mode) {
      var input = document.createElement("input");
      input.setAttribute("aria-label", self._words[name][0]);
      input.setAttribute("data-testid", "stripe-card-" + name);
      input.placeholder = self._words[name][1];
      input.inputMode = mode;
      input.autocomplete = name === "number" ? "cc-number" : name === "expiry" ? "cc-exp" : "cc-csc";
      input.style.cssText = "all:initial;flex:1 1 " + width + ";min-width:0;line-height:1.4;background:transparent";
      input.addEventListener("input", function () { var s = self._state(); self._paint(s); self._emit("change", s); });
      input.addEventListener("focus", function () { host.classList.add("StripeElement--focus"); });
      input.addEventListener("blur", function () {
        host.classList.remove("StripeElement--focus");
        self._left[name] = true;
        var s = self._state();
        self._paint(s);
        self._emit("change", s);
      });
      row.appendChild(input);
      return input;
    }
    this._inputs = {
      number: field("number", "14em", "numeric"),
      expiry: field("expiry", "5em", "numeric"),
      cvc: field("cvc", "4em", "numeric"),
    };
    host.appendChild(box);
    host.classList.add("StripeElement");
    this._host = host;
    this._node = box;
    this._paint(this._state());
    setTimeout(function () { self._emit("ready", { elementType: "card" }); });
  };
  // Stripe merges an update into the element's options; a new style repaints the fields.
  CardElement.prototype.update = function (options) {
    if (options && options.style) this._style = options.style;
    if (this._inputs) this._paint(this._state());
  };
  CardElement.prototype.focus = function () { if (this._inputs) this._inputs.number.focus(); };
  CardElement.prototype.unmount = function () {
    if (this._node && this._node.parentNode) this._node.parentNode.removeChild(this._node);
    if (this._host) {
      ["", "--focus", "--invalid", "--complete", "--empty"].forEach(function (c) { this._host.classList.remove("StripeElement" + c); }, this);
    }
    this._node = null;
    this._host = null;
  };
  CardElement.prototype.destroy = function () { this.unmount(); this._handlers = {}; };

  function challenge(clientSecret) {
    return new Promise(function (resolve) {
      var overlay = document.createElement("div");
      overlay.setAttribute("data-testid", "stripe-challenge");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", "3-D Secure test challenge");
      overlay.style.cssText = "position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif";
      var card = document.createElement("div");
      card.style.cssText = "background:#fff;color:#111;border-radius:10px;padding:20px;max-width:320px;text-align:center";
      // Built element by element: a page enforcing Trusted Types refuses an HTML string.
      var title = document.createElement("h2");
      title.style.cssText = "margin:0 0 8px;font-size:18px";
      title.textContent = "3-D Secure test challenge";
      var note = document.createElement("p");
      note.style.cssText = "margin:0 0 16px";
      note.textContent = "Sandbox: approve or refuse this card payment as the bank's app would.";
      card.appendChild(title);
      card.appendChild(note);
      function button(label, approve, testid) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        b.setAttribute("data-testid", testid);
        b.style.cssText = "font:inherit;margin:0 6px;padding:10px 16px;border-radius:6px;border:1px solid #888;cursor:pointer";
        b.addEventListener("click", function () {
          overlay.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          fetch(sandbox + "/__sandbox/stripe/challenge", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ client_secret: clientSecret, approve: approve }),
          }).then(function (r) {
            overlay.remove();
            if (!r.ok) return resolve({ error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: "This payment can no longer be authenticated." } });
            resolve(approve
              ? { paymentIntent: { id: clientSecret.split("_secret_")[0], status: "succeeded" } }
              : { error: { type: "card_error", code: "payment_intent_authentication_failure", message: "We are unable to authenticate your payment method." } });
          }, function () {
            overlay.remove();
            resolve({ error: { type: "api_connection_error", message: "Could not reach the payment service." } });
          });
        });
        card.appendChild(b);
        return b;
      }
      button("Approve", true, "stripe-challenge-approve");
      button("Refuse", false, "stripe-challenge-refuse");
      overlay.appendChild(card);
      document.body.appendChild(overlay);
    });
  }

  function Stripe(publishableKey) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey);
    if (typeof publishableKey !== "string" || publishableKey.indexOf("pk_") !== 0) throw new Error("Invalid API Key provided");
    this._key = publishableKey;
  }
  Stripe.prototype.elements = function (settings) {
    var locale = settings && settings.locale;
    return { create: function (type, options) {
      if (type !== "card") throw new Error("stripe stand-in: only the card element exists");
      return new CardElement(options, locale);
    } };
  };
  Stripe.prototype.createPaymentMethod = function (args) {
    var element = args && (args.card || args.element);
    return new Promise(function (resolve) {
      setTimeout(function () {
        if (!element || !element._inputs) return resolve({ error: problem("incomplete_number", "Your card number is incomplete.") });
        var s = element._state();
        if (s.error) return resolve({ error: s.error });
        if (s._number.length < 16) return resolve({ error: problem("incomplete_number", "Your card number is incomplete.") });
        if (s._expiry.length < 4) return resolve({ error: problem("incomplete_expiry", "Your card's expiration date is incomplete.") });
        if (s._cvc.length < 3) return resolve({ error: problem("incomplete_cvc", "Your card's security code is incomplete.") });
        var known = TEST_CARDS[s._number];
        if (!known) return resolve({ error: { type: "card_error", code: "incorrect_number", message: "Your card number is incorrect." } });
        resolve({ paymentMethod: { id: known.id, type: "card", card: { brand: known.brand, last4: s._number.slice(-4) } } });
      }, 150);
    });
  };
  Stripe.prototype.confirmCardPayment = function (clientSecret) { return challenge(clientSecret); };
  Stripe.prototype.handleNextAction = function (args) { return challenge(args && args.clientSecret); };
  window.Stripe = Stripe;
})();
