/* dollr-checkout loader. A merchant page needs only:
 *   <script src="https://your.cdn/dollr/dollr-checkout.js" defer></script>
 *   <dollr-checkout proxy="/api/dollr" grant="…"></dollr-checkout>
 * The wasm, its JS glue and the stylesheet are fetched from beside this file, whatever the
 * path or CDN prefix. No inline script or style is needed: it runs under
 *   script-src 'self' 'wasm-unsafe-eval'; style-src 'self'
 * Frameworks use window.DollrCheckout.mount(element, options) → { update, unmount }. */
(function () {
  "use strict";
  if (window.DollrCheckout) return; // included twice: the first copy serves the page

  var current = document.currentScript;
  var base = new URL(".", current && current.src ? current.src : location.href).href;
  var EVENTS = { onReady: "ready", onStatus: "status", onSuccess: "success", onFailure: "failure", onError: "error" };
  var core = null;
  /* The files fetched from beside this one. A release build gives each a name carrying its
   * content hash (scripts/package.sh rewrites these three strings), so a loader always gets the
   * glue, wasm and stylesheet it was built with, and they can be cached for good. */
  var CORE = base + "dollr-checkout-core.js";
  var WASM = base + "dollr-checkout_bg.wasm";
  var CSS = base + "dollr-checkout.css";
  /* Their Subresource Integrity digests (SHA-384), which package.sh writes in place of these
   * three strings: the browser refuses a glue, wasm or stylesheet whose bytes are not the ones
   * this loader was built with (a CDN copy altered by anyone), and the checkout reports
   * LoadFailed instead of running it. */
  var CORE_SRI = "integrity:dollr-checkout-core.js";
  var WASM_SRI = "integrity:dollr-checkout_bg.wasm";
  var CSS_SRI = "integrity:dollr-checkout.css";
  var ANSWER_WAIT_MS = 100; // the longest the widget waits for an order answer on its way
  /* How long a mount waits for the widget before drawing the form's outline (showSkeleton):
   * drawing it at once made the form come 60-85 ms later on loopback (paired cold loads), where
   * the form comes in about 250 ms; past this the files are on a slow network. */
  var SKELETON_DELAY_MS = 400;
  /* The origins the page's Content-Security-Policy refused to connect to (not in its
   * connect-src), as the browser reports them to the page from this script's start. Such a
   * request fails as the network's failures do: the widget asks refusedProxy to tell the payer
   * and the console what it is. A policy that only reports (Content-Security-Policy-Report-Only)
   * refuses nothing. */
  var refused = [];
  /* Whether the page's policy has refused a compile of code: browsers that predate
   * 'wasm-unsafe-eval' (Chrome before 97) say so only this way when they refuse the wasm. */
  var evalRefused = false;
  document.addEventListener("securitypolicyviolation", function (event) {
    if (/^(wasm-)?eval$/.test(event.blockedURI) && event.disposition !== "report") evalRefused = true;
    try {
      var origin = new URL(event.blockedURI).origin;
      if (event.effectiveDirective === "connect-src" && event.disposition !== "report" && refused.indexOf(origin) < 0) refused.push(origin);
    } catch (error) { /* not a URL ("inline", "eval") */ }
  });
  /* For a checkout whose proxy is `proxy`: a function the widget calls when a request failed,
   * whose promise resolves to the proxy's origin if the page's policy refused it, else "".
   * Engines report the refusal in a task of their own, before or after failing the request
   * (WebKit before; Chromium and Firefox after, Chromium 64 at times more than a task after), so
   * one not yet heard is waited for, at most REFUSAL_WAIT_MS, which only a request the network
   * failed waits out in full. */
  var REFUSAL_WAIT_MS = 100;
  function refusedProxy(proxy) {
    return function () {
      return new Promise(function (resolve) {
        var origin;
        try { origin = new URL(proxy, document.baseURI).origin; } catch (error) { return resolve(""); }
        function settle(heard) {
          clearTimeout(timer);
          document.removeEventListener("securitypolicyviolation", check);
          resolve(heard ? origin : "");
        }
        // After the listener above, which notes the refused origin.
        function check() { if (refused.indexOf(origin) >= 0) settle(true); }
        document.addEventListener("securitypolicyviolation", check);
        var timer = setTimeout(function () { settle(false); }, REFUSAL_WAIT_MS);
        check();
      });
    };
  }
  var crashed = false; // set by the first trap in the widget's wasm: nothing runs it after that
  var mounted = []; // every live mount's { element, muted }, to tell each of a crash

  /* The waits before a file whose download failed is asked for again (a phone between cells, a
   * server's 5xx). */
  var RETRY_MS = [1000, 3000];

  /* How long a file's server may leave a request unanswered before it counts as failed: a
   * connection that stops sending fails nothing by itself, and the payer would look at the
   * form's outline for good. For the wasm it is the longest wait for its next bytes (a slow
   * network's download may take long as a whole; see compileWasm), for the glue or stylesheet
   * the whole file, a few KB. The order request (prefetchSummary) has it too, answer and body. */
  var STALL_MS = 15000;

  /* Runs `start(href, attempt)` for `url`, then while it fails for `url?retry=1`, `url?retry=2`,
   * waiting each of RETRY_MS in turn; the last failure is the result. Every failure is tried
   * again: with an integrity digest the browser reports a dropped connection, an HTTP error and
   * altered bytes alike (a TypeError), and compileWasm throws for altered bytes it checks itself.
   * A retry is another URL because the browser keeps
   * answering a URL with what it once got for it (a failed preload's failure, altered bytes it
   * cached), and so may a CDN's edge; servers send the file whatever the query. An attempt not
   * settled, nor marked `attempt.answered()`, within STALL_MS of its start or of its last
   * `attempt.alive()` fails, after `attempt.stop()` (when `start` set one) gives it up. */
  function withRetries(url, start) {
    function run(n) {
      var href = n ? url + "?retry=" + n : url;
      return new Promise(function (resolve, reject) {
        var timer;
        var attempt = {
          answered: function () { clearTimeout(timer); },
          alive: function () {
            clearTimeout(timer);
            timer = setTimeout(function () {
              if (attempt.stop) attempt.stop();
              reject(new Error("no answer for " + href));
            }, STALL_MS);
          },
        };
        attempt.alive();
        var started = start(href, attempt);
        started.then(attempt.answered, attempt.answered);
        started.then(resolve, reject);
      }).catch(function (error) {
        if (n >= RETRY_MS.length || uncompiled(error)) throw error;
        return new Promise(function (resolve) { setTimeout(resolve, RETRY_MS[n]); }).then(function () { return run(n + 1); });
      });
    }
    return run(0);
  }

  /* Whether the browser runs WebAssembly at all: not where it is turned off (Safari's Lockdown
   * Mode, an administrator's policy) or too old. */
  var wasmRuns = typeof WebAssembly === "object";
  /* The widget's UI library sets a field's value in a microtask it queues with queueMicrotask,
   * and without it (Chrome before 71, Safari before 12.1, Firefox before 69) sets none after the
   * first: a form drawn again (Try again) showed an empty number the payment would still use.
   * There the page gets the standard function, run as a promise's reaction, its errors reported
   * as an uncaught error's are. */
  if (wasmRuns && typeof window.queueMicrotask !== "function") {
    window.queueMicrotask = function (callback) {
      Promise.resolve().then(callback).catch(function (error) { setTimeout(function () { throw error; }); });
    };
  }

  /* Whether `error` is the browser refusing the wasm, as it compiles it (compileWasm) or, in
   * WebKit, instantiates it (the page's policy refusing WebAssembly, say). The wasm had arrived
   * whole and matched its digest, so it would fail the same way again. */
  function uncompiled(error) {
    return wasmRuns && error instanceof WebAssembly.CompileError;
  }

  /* The wasm is compiled here, while the glue downloads, so the glue only instantiates it. The
   * browser hands over the bytes of a fetch with an integrity digest only once all have arrived
   * and matched, so a deadline would cut a slow network's download as soon as a stopped one.
   * Where the page has WebCrypto (https and loopback pages), the bytes are read here as they
   * arrive instead, each restarting the deadline (attempt.alive), and checked against WASM_SRI
   * once all are in; the module is not handed on before. Elsewhere the browser checks them, and
   * the request has no deadline. Servers that do not label it application/wasm get a buffered
   * compile. */
  function compileWasm(href, attempt) {
    var controller = window.AbortController && new AbortController();
    var subtle = window.crypto && crypto.subtle;
    attempt.stop = function () { if (controller) controller.abort(); };
    if (!subtle) attempt.answered();
    return fetch(href, { integrity: subtle ? "" : WASM_SRI, signal: controller && controller.signal }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " fetching " + href);
      var type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      /* Compiled as the bytes arrive, and run only once they are checked (a module runs nothing
       * until the glue instantiates it). */
      var compiled = WebAssembly.compileStreaming && type === "application/wasm"
        && WebAssembly.compileStreaming(subtle ? response.clone() : response);
      if (!subtle) {
        return compiled || response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
      }
      if (compiled) compiled.catch(function () {}); // its failure is the attempt's, below
      attempt.alive();
      var reader = response.body.getReader();
      var chunks = [];
      var size = 0;
      function read() {
        return reader.read().then(function (step) {
          if (step.done) return;
          attempt.alive();
          chunks.push(step.value);
          size += step.value.length;
          return read();
        });
      }
      var bytes;
      return read().then(function () {
        bytes = new Uint8Array(size);
        size = 0;
        chunks.forEach(function (chunk) {
          bytes.set(chunk, size);
          size += chunk.length;
        });
        return subtle.digest("SHA-384", bytes);
      }).then(function (digest) {
        if ("sha384-" + btoa(String.fromCharCode.apply(null, new Uint8Array(digest))) !== WASM_SRI) {
          throw new Error("integrity check failed for " + href);
        }
        return compiled || WebAssembly.compile(bytes);
      });
    });
  }

  /* <link rel=`rel` href=`href` integrity=`integrity` crossorigin>: fetched with CORS and
   * checked against its digest once it is in a document. */
  function checkedLink(rel, href, integrity) {
    var link = document.createElement("link");
    link.rel = rel;
    link.integrity = integrity;
    link.crossOrigin = "anonymous";
    link.href = href;
    return link;
  }

  /* Adds a checkedLink (with as=`as`) for `url` to the document, asked for again (withRetries) while
   * it fails; resolves with the URL that loaded, or at once in a browser without that `rel` (it
   * ignores the link). A link that failed, or was given up (STALL_MS), is removed. */
  function preload(rel, url, integrity, as) {
    return withRetries(url, function (href, attempt) {
      return new Promise(function (resolve, reject) {
        var link = checkedLink(rel, href, integrity);
        attempt.stop = function () { link.remove(); };
        if (as) link.as = as;
        link.onload = function () { resolve(href); };
        link.onerror = function () {
          link.remove();
          reject(new Error("could not fetch " + href));
        };
        (document.head || document.documentElement).appendChild(link);
        if (!link.relList.supports(rel)) resolve(href);
      });
    });
  }

  /* The stylesheet is preloaded (with its digest) as the loader starts, and the widget's own link
   * in its shadow root takes the preloaded copy, a failed one too: so the preload is asked for
   * again like the other files, and a mount waits until it has loaded or its last try failed,
   * then links the URL that loaded. The stylesheet has nearly always arrived long before the
   * wasm; a widget whose stylesheet never came works, unstyled. */
  var styled = null;
  function loadStyle() {
    if (!styled) {
      styled = preload("preload", CSS, CSS_SRI, "style").catch(function (error) {
        console.error("dollr-checkout: could not load its stylesheet", error);
        return CSS;
      });
    }
    return styled;
  }

  /* The glue, the wasm and the stylesheet are requested together, as soon as this script runs
   * (not at the first mount): a page that fetches its grant before adding the element gets a
   * widget that is already compiled by then. The glue is fetched by a <link rel=modulepreload>
   * carrying its digest, and imported only once that link has loaded: import() cannot check a
   * digest, and one made while no checked fetch of the glue has succeeded fetches it again
   * unchecked (after a dropped download, say). Once the link has loaded, import() takes the
   * module it fetched, under the URL that loaded (a retry's carries a query, see withRetries). A
   * browser without modulepreload (Safari before 17) imports it unchecked. */
  function loadCore() {
    if (!core && !wasmRuns) {
      // Nothing is downloaded that could not run; every checkout is told at once.
      core = Promise.reject(new Error("WebAssembly is turned off in this browser, or it is too old"));
      core.catch(function (error) { console.error("dollr-checkout: the checkout cannot run here", error); });
    }
    if (!core) {
      var glue = preload("modulepreload", CORE, CORE_SRI);
      var wasm = withRetries(WASM, compileWasm);
      wasm.catch(function () {}); // reported through core's failure below, which awaits it
      core = glue.then(function (href) { return import(href); }).then(function (glue) {
        isTrap = glue.thrownByWasm;
        glue.whenStopped(crash); // told even when the page's own code catches the error
        return glue.default({ module_or_path: wasm }).then(function () { return glue; });
      });
      core.catch(function (error) {
        var refused = uncompiled(error);
        if (!refused) core = null; // a later mount may try again; one refused is told at once
        // Browsers before 'wasm-unsafe-eval' report their refusal (evalRefused) before the
        // compile fails, with an error that does not name the policy.
        console.error(refused && (evalRefused || /Content.Security.Policy|CSP/.test(error.message))
          ? "dollr-checkout: the page's Content-Security-Policy does not allow WebAssembly: its script-src needs 'wasm-unsafe-eval', or 'unsafe-eval' in browsers older than that keyword (Chrome 97, Safari 16)"
          : "dollr-checkout: could not load the checkout from " + base, error);
      });
    }
    return core;
  }

  /* Splits callbacks (handled here, as event listeners) from the options the widget checks. */
  function split(options) {
    var widget = {};
    var callbacks = {};
    Object.keys(options || {}).forEach(function (key) {
      if (Object.prototype.hasOwnProperty.call(EVENTS, key)) {
        if (typeof options[key] === "function") callbacks[key] = options[key];
        else console.error("dollr-checkout: option `" + key + "` must be a function");
      } else {
        widget[key] = options[key];
      }
    });
    widget.stylesheet = CSS;
    widget.stylesheetIntegrity = CSS_SRI;
    return { widget: widget, callbacks: callbacks };
  }

  /** The widget's options as a string to compare, or an object equal to nothing when they do not
   * serialise (a BigInt, a cycle: the widget then names the bad field). */
  function fingerprint(widget) {
    try {
      return JSON.stringify(widget);
    } catch (error) {
      return {};
    }
  }

  /* The order request, started at mount in parallel with the wasm download (one round trip off
   * a payer's wait on a slow network). The widget uses it only if it would ask the same URL with
   * the same grant; it is read-only, bounded by the widget's own 15 s limit, and cancelled by
   * unmount. Its body is read here as it arrives, so a widget that starts after the answer
   * draws the form in its first task instead of drawing "Loading" and waiting for the body. */
  function prefetchSummary(widget) {
    if (typeof widget.proxy !== "string" || typeof widget.grant !== "string" || !window.AbortController) return null;
    var url = widget.proxy.trim().replace(/\/+$/, "") + "/v1/checkout";
    var grant = widget.grant.trim();
    if (url === "/v1/checkout" || !grant) return null;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, STALL_MS);
    var settle = function () { clearTimeout(timer); };
    var response = fetch(url, { headers: { Authorization: "Bearer " + grant, Accept: "application/json" }, signal: controller.signal })
      .then(function (answer) {
        summary.arriving = true;
        return answer.text().then(function (body) {
          return { status: answer.status, retryAfter: answer.headers.get("Retry-After"), body: body };
        });
      });
    var summary = { url: url, grant: grant, response: response, arriving: false };
    response.then(function (answer) { summary.answer = answer; settle(); }, settle);
    return {
      summary: summary,
      cancel: function () { settle(); controller.abort(); },
    };
  }

  /* Resolves once the order's answer is in, or after ANSWER_WAIT_MS while its body is arriving.
   * The widget uses an answer that is already in at once, so the form is its first screen;
   * otherwise it draws "Loading" and the form after it, a flash of "Loading" when the answer was
   * a moment away. On loopback the answer usually arrives while the wasm compiles, but its body
   * is read in a task that waits behind the compile. An answer whose headers have not come yet
   * is a round trip away (a slow network): "Loading" at once says more than a blank wait. */
  function answerOrTimeout(prefetch) {
    if (!prefetch || prefetch.summary.answer || !prefetch.summary.arriving) return Promise.resolve();
    return new Promise(function (resolve) {
      var timer = setTimeout(done, ANSWER_WAIT_MS);
      function done() { clearTimeout(timer); resolve(); }
      prefetch.summary.response.then(done, done);
    });
  }

  /* A trap in the wasm (a Rust panic, for instance from a dependency's unwrap when a script on
   * the page makes a browser call throw) leaves its memory in an unknown state: the widgets it
   * runs must not take input or money any more. Each is replaced by a sentence telling the payer
   * to reload (showCrashed), and the page is told `dollr:error` with code "Crashed", so it can
   * offer another way to pay; a reload starts afresh and resumes a payment already sent. A trap
   * is the first error the glue saw leave the wasm, after which it runs none of the wasm
   * (scripts/wasm-exits.mjs): an error's stack names the wasm in some engines only. */
  var isTrap = function () { return false; }; // the glue's thrownByWasm, once it is imported

  /** Ends one mounted wasm widget: clears its timers, listeners, requests and DOM. */
  function dispose(wasm) {
    wasm.unmount();
    wasm.free();
  }

  /** `dollr:error` from the loader itself, shaped as the widget's own. */
  function sendError(element, code, message) {
    element.dispatchEvent(new CustomEvent("dollr:error", { bubbles: true, composed: true, detail: { code: code, message: message } }));
  }

  function tellCrashed(entry) {
    if (entry.muted.length) return; // told already since this start
    var element = entry.element;
    showCrashed(element);
    sendError(element, "Crashed", "The checkout stopped working. Reload the page to continue.");
    // Whatever a broken widget still sent (a late "ready", say) would contradict that: held back
    // at the element, before the page's own listeners, until it is unmounted or rebuilt. The
    // glue runs no wasm after its first exception, but a mount may fail in the glue itself.
    Object.keys(EVENTS).forEach(function (key) {
      var name = "dollr:" + EVENTS[key];
      element.addEventListener(name, mute, true);
      entry.muted.push(name);
    });
  }

  function mute(event) {
    event.stopImmediatePropagation();
  }

  function crash(error) {
    if (crashed) return;
    crashed = true;
    console.error("dollr-checkout: the checkout stopped working; reload the page to continue", error);
    mounted.slice().forEach(tellCrashed);
  }

  /* The broken wasm's error, thrown again by each call into it, reaches the page's error events:
   * reported once, by crash, instead. */
  function onUncaught(error, event) {
    if (isTrap(error)) event.preventDefault();
  }

  /* The theme's tokens (README, "Theming"), each with the property its value is checked for: a
   * value that does not fit (a colour missing a digit, a size missing its unit) would be dropped
   * wherever the stylesheet uses it, and the Pay button lose its background, the text its
   * colour, the spacing collapse. The radius and the spacing are also used in calc(), so they
   * are checked as a width: one length (two, fine for a padding, would break those). */
  var TOKENS = "background surface text muted border primary primary-text danger success focus input-background badge".split(" ").map(function (name) {
    return ["--dollr-color-" + name, "color"];
  }).concat([
    ["--dollr-radius", "width"],
    ["--dollr-input-radius", "border-radius"],
    ["--dollr-spacing", "width"],
    ["--dollr-max-width", "max-width"],
    ["--dollr-font", "font-family"],
    ["--dollr-font-size", "font-size"],
    ["--dollr-shadow", "box-shadow"]
  ]);
  var warnedTokens = new WeakMap(); // element → what the console last said of its tokens

  /* Whether `node` is `element` or one of its ancestors, across shadow roots. */
  function encloses(node, element) {
    for (var at = element; at; at = at.getRootNode().host) if (node.contains(at)) return true;
    return false;
  }

  /* Sets aside, in each of `element`'s frames, its tokens whose values do not fit, so the
   * palette's default applies there (the frames read the tokens: dollr-checkout.css), and takes
   * back those set aside before that fit now; names the bad ones in the console, once for as
   * long as they stay the same. Run as a frame is drawn, and when the page's palettes may have
   * changed (an attribute of the element or of an ancestor, the page's stylesheets, the system's
   * scheme, the element moved). */
  function guardTokens(element) {
    var computed = getComputedStyle(element);
    var value = function (token) { return computed.getPropertyValue(token[0]).trim(); };
    var bad = TOKENS.filter(function (token) { return value(token) && !window.CSS.supports(token[1], value(token)); });
    var frames = element.shadowRoot ? element.shadowRoot.querySelectorAll(".dollr-root") : [];
    [].forEach.call(frames, function (frame) {
      if (!bad.length && !frame.hasAttribute("style")) return; // nothing to set aside or take back
      TOKENS.forEach(function (token) {
        if (bad.indexOf(token) < 0) frame.style.removeProperty(token[0]);
        else frame.style.setProperty(token[0], "initial");
      });
    });
    var named = bad.map(function (token) { return token[0] + ": " + value(token); }).join("; ");
    if (named && warnedTokens.get(element) !== named) console.warn("dollr-checkout: a theme value the browser cannot use, so its default applies: " + named, element);
    warnedTokens.set(element, named);
  }

  /* A new frame for `content` in `element`'s shadow root (attached here if it has none, and
   * kept by the widget), styled by the preloaded stylesheet (under the URL that loaded, once it
   * has). Throws for an element that cannot hold a shadow root. */
  function frameIn(element, content) {
    var root = element.shadowRoot || element.attachShadow({ mode: "open" });
    var frame = document.createElement("div");
    var link = checkedLink("stylesheet", CSS, CSS_SRI);
    frame.className = "dollr-root";
    frame.append(link, content);
    root.appendChild(frame);
    guardTokens(element);
    loadStyle().then(function (href) { if (href !== CSS) link.href = href; }); // a retry's URL
    return frame;
  }

  /* Draws the form's outline, without text: on a slow network the payer sees the checkout coming
   * instead of an empty box, and the page keeps its room. Hidden from assistive technology: the
   * widget's own status region speaks once it runs. An element that cannot hold a shadow root
   * gets none (the widget reports it). The frame, or null. */
  function showSkeleton(element) {
    try {
      var outline = document.createElement("div");
      outline.className = "dollr-checkout dollr-skeleton";
      for (var bar = 0; bar < 13; bar++) outline.appendChild(document.createElement("span")); // shaped in the CSS
      var frame = frameIn(element, outline);
      frame.setAttribute("aria-hidden", "true");
      frame.dir = "ltr"; // laid out as the form will be: every locale the widget has reads left to right
      return frame;
    } catch (error) {
      return null;
    }
  }

  /* Puts what the payer reads in place of a crashed checkout: the sentence the widget wrote on
   * its container as it mounted (`data-crashed`, from its translation table, with the container's
   * language; src/interop.rs), or another checkout's for one the broken widget never ran.
   * Everything else of the checkout, the card fields in the page's DOM too, is removed: nothing
   * can act on it any more. With no sentence to show, or no shadow root to show it in, the
   * checkout is made inert instead. */
  function showCrashed(element) {
    var slot = element.querySelector(":scope > [slot='dollr-card']");
    if (slot) slot.remove();
    var written = function (host) { return host.shadowRoot && host.shadowRoot.querySelector("[data-crashed]"); };
    var source = written(element);
    if (!source) mounted.some(function (other) { return (source = written(other.element)); });
    if (!source) {
      element.inert = true;
      return;
    }
    try {
      var alert = document.createElement("div");
      alert.className = "dollr-error";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-testid", "crashed");
      var sentence = source.getAttribute("data-crashed");
      alert.appendChild(document.createElement("p")).textContent = sentence;
      var box = document.createElement("section");
      box.className = "dollr-checkout";
      box.appendChild(alert);
      var frame = frameIn(element, box);
      frame.lang = source.lang;
      frame.dir = source.dir;
      frame.setAttribute("data-crashed", sentence); // for checkouts added after this
      [].slice.call(element.shadowRoot.children).forEach(function (child) {
        if (child !== frame && child.localName !== "link") child.remove();
      });
    } catch (error) {
      element.inert = true;
    }
  }

  /** Mounts a checkout into `element`. Returns at once; the widget appears when loaded. */
  function mount(element, options) {
    if (!(element instanceof HTMLElement)) {
      console.error("dollr-checkout: mount(element, options) needs an HTML element, got", element);
      return { update: function () {}, unmount: function () {}, focus: function () {} };
    }
    var state = { wasm: null, listeners: [], alive: true, generation: 0, prefetch: null, skeleton: null, skeletonTimer: 0 };
    var entry = { element: element, muted: [] };
    mounted.push(entry);
    // A page's palettes are keyed to an attribute of the element or of an ancestor (its `theme`,
    // a `dark` class or a `data-theme` on the page's root): the tokens are checked again when
    // one of those changes, in the element's root and in each root around it (a checkout inside
    // a component's shadow root, on a page that switches palettes on its own root). Changes
    // elsewhere on the page (the card's own field included) are passed over.
    var themeWatch = new MutationObserver(function (changes) {
      if (changes.some(function (change) { return encloses(change.target, element); })) guardTokens(element);
    });
    // Watches those roots: from the mount, and again from where a `<dollr-checkout>` is moved
    // (into a dialog, another component's shadow root), checking its tokens there, as its
    // ancestors are others. (Not at the mount: the frame checks them as it is drawn, and reading
    // the page's style here would lay it out early.)
    (entry.moved = function (moved) {
      themeWatch.disconnect();
      for (var root = element.getRootNode(); root; root = root.host && root.host.getRootNode()) {
        themeWatch.observe(root, { attributes: true, subtree: true });
      }
      if (moved) guardTokens(element);
    })();

    function listen(callbacks) {
      Object.keys(callbacks).forEach(function (key) {
        var name = "dollr:" + EVENTS[key];
        var listener = function (event) { callbacks[key](event.detail, event); };
        element.addEventListener(name, listener);
        state.listeners.push([name, listener]);
      });
    }
    function hideSkeleton() {
      clearTimeout(state.skeletonTimer);
      if (state.skeleton) state.skeleton.remove();
      state.skeleton = null;
    }
    function unlisten() {
      state.listeners.forEach(function (pair) { element.removeEventListener(pair[0], pair[1]); });
      state.listeners = [];
    }
    function forget() {
      hideSkeleton();
      unlisten();
      if (state.prefetch) { state.prefetch.cancel(); state.prefetch = null; }
      if (state.wasm) {
        var wasm = state.wasm;
        state.wasm = null;
        try {
          dispose(wasm);
        } catch (error) {
          if (!crashed) throw error;
        }
      }
      entry.muted.forEach(function (name) { element.removeEventListener(name, mute, true); });
      entry.muted = [];
      if (crashed) {
        // What a crashed widget's own unmount may not have removed (the slot is `CARD_SLOT` in
        // src/ui.rs, where Stripe's card fields live in the page's DOM).
        if (element.shadowRoot) element.shadowRoot.textContent = ""; // every child gone
        var slot = element.querySelector(":scope > [slot='dollr-card']");
        if (slot) slot.remove();
        element.inert = false;
      }
    }
    function start(parts) {
      var generation = ++state.generation;
      state.given = fingerprint(parts.widget); // before a stylesheet retry changes its URL below
      listen(parts.callbacks);
      var prefetch = state.prefetch = prefetchSummary(parts.widget);
      state.skeletonTimer = setTimeout(function () { state.skeleton = showSkeleton(element); }, SKELETON_DELAY_MS);
      loadCore().then(function (glue) {
        return Promise.all([answerOrTimeout(prefetch), loadStyle()]).then(function (ready) {
          parts.widget.stylesheet = ready[1];
          return glue;
        });
      }).then(function (glue) {
        if (!state.alive || generation !== state.generation) return;
        if (!crashed) {
          try {
            var wasm = glue.mount(element, parts.widget, prefetch ? prefetch.summary : undefined, refusedProxy(parts.widget.proxy));
            if (state.alive && generation === state.generation) {
              state.wasm = wasm;
            } else {
              // A listener of an event sent while mounting (dollr:ready when the order was in
              // already, dollr:error for bad options) unmounted or updated the checkout.
              dispose(wasm);
            }
          } catch (error) {
            crash(error); // thrown by the wasm itself, so a crash whatever its kind
          }
        }
        hideSkeleton(); // in the task that drew the widget: no frame without either
        // On the frame the widget drew, in the callbacks before it is painted: reading the
        // element's style there takes the style pass that frame makes anyway, where reading it in
        // this task would force one of its own.
        if (state.wasm) requestAnimationFrame(function () { guardTokens(element); });
        if (crashed) tellCrashed(entry);
      }, function () {
        if (generation === state.generation) hideSkeleton();
        sendError(element, "LoadFailed", "The checkout could not be loaded.");
      });
    }

    var currentOptions = Object.assign({}, options);
    start(split(currentOptions));
    return {
      /** Replaces some options (the widget is rebuilt; a running payment resumes). Callbacks
       * alone (a framework's new closures on each render) are swapped without a rebuild. */
      update: function (changes) {
        if (!state.alive) return;
        currentOptions = Object.assign({}, currentOptions, changes);
        var parts = split(currentOptions);
        if (fingerprint(parts.widget) === state.given) {
          unlisten();
          listen(parts.callbacks);
          return;
        }
        forget();
        start(parts);
      },
      /** Puts the keyboard's focus in the checkout, where its screen takes it (nothing until
       * it is drawn). */
      focus: function () {
        if (state.wasm && !crashed) state.wasm.focus();
      },
      /** Removes the widget, its listeners, timers, requests and styles. */
      unmount: function () {
        if (!state.alive) return;
        state.alive = false;
        mounted.splice(mounted.indexOf(entry), 1);
        themeWatch.disconnect();
        forget();
      },
    };
  }

  var ATTRIBUTES = { proxy: "proxy", grant: "grant", locale: "locale", "time-limit-minutes": "timeLimitMinutes", phone: "phone" };

  function fromAttributes(element) {
    var options = {};
    Object.keys(ATTRIBUTES).forEach(function (name) {
      // Every option, null when its attribute is absent (the properties below), so that
      // removing an attribute removes its option from the widget's (update merges).
      options[ATTRIBUTES[name]] = element[ATTRIBUTES[name]];
    });
    return options;
  }

  /** <dollr-checkout proxy grant locale time-limit-minutes phone theme>: mounts when connected,
   *  unmounts when removed, rebuilds when an attribute changes. */
  var Element = function () { return Reflect.construct(HTMLElement, [], new.target); };
  Element.prototype = Object.create(HTMLElement.prototype);
  Element.prototype.constructor = Element;
  Object.setPrototypeOf(Element, HTMLElement);
  Object.defineProperty(Element, "observedAttributes", { get: function () { return REFLECTED; } });
  /* Each attribute is also a property reading and writing it (null when absent; null removes
   * it), as frameworks that set properties on custom elements expect. theme is CSS only. */
  var REFLECTED = Object.keys(ATTRIBUTES).concat("theme");
  REFLECTED.forEach(function (attribute) {
    var numeric = attribute === "time-limit-minutes";
    Object.defineProperty(Element.prototype, ATTRIBUTES[attribute] || attribute, {
      configurable: true,
      enumerable: true,
      get: function () {
        var value = this.getAttribute(attribute);
        return value !== null && numeric ? Number(value) : value;
      },
      set: function (value) {
        if (value === null || value === undefined) this.removeAttribute(attribute);
        else this.setAttribute(attribute, String(value));
      },
    });
  });
  Element.prototype.connectedCallback = function () {
    // A value a framework set as a property before this script defined the element is an own
    // property hiding the one above: pass it through, to its attribute.
    var element = this;
    REFLECTED.forEach(function (attribute) {
      var property = ATTRIBUTES[attribute] || attribute;
      if (Object.prototype.hasOwnProperty.call(element, property)) {
        var value = element[property];
        delete element[property];
        element[property] = value;
      }
    });
    if (!this._dollr) this._dollr = mount(this, fromAttributes(this));
    else mounted.forEach(function (entry) { if (entry.element === element) entry.moved(true); }); // moved, its checkout kept (below)
  };
  /* A page or framework that moves the element (takes it out and puts it back elsewhere in one
   * go: appendChild, insertBefore, moveBefore, a framework reparenting it) keeps its checkout,
   * with what the payer typed and a payment under way: the widget is unmounted only if the
   * element is still out of the document once the script that took it out has finished. */
  Element.prototype.disconnectedCallback = function () {
    var element = this;
    Promise.resolve().then(function () { // a microtask (queueMicrotask is newer than the browsers the README names)
      if (!element.isConnected && element._dollr) { element._dollr.unmount(); element._dollr = null; }
    });
  };
  /* element.focus() puts the keyboard in the checkout (the element itself takes no focus). */
  Element.prototype.focus = function () {
    if (this._dollr) this._dollr.focus();
  };
  Element.prototype.attributeChangedCallback = function (name, before, after) {
    if (!this._dollr || before === after) return;
    if (name !== "theme") this._dollr.update(fromAttributes(this)); // a theme is CSS only, checked by its mount's themeWatch
  };

  /* The first Intl.NumberFormat of a page initialises ICU (about 15-20 ms of main thread in
   * Chromium). Do it in the task after this script, while the wasm downloads and compiles (and
   * the page's own scripts wait for their grant), rather than while the order summary renders.
   * requestIdleCallback was measured to fire too late during a page load. */
  function warmIntl() {
    try { new Intl.NumberFormat("en", { style: "currency", currency: "USD" }).format(1); } catch (e) { /* formatting falls back later */ }
  }

  /* Palettes that follow the system's scheme (`theme="auto"`, a page's own media queries) change
   * with it: each checkout's tokens are checked again. (addListener: Safari before 14 has no
   * addEventListener on a MediaQueryList.) */
  function checkAll() { mounted.forEach(function (entry) { guardTokens(entry.element); }); }
  var darkScheme = window.matchMedia && matchMedia("(prefers-color-scheme: dark)");
  if (darkScheme && darkScheme.addListener) darkScheme.addListener(checkAll);

  /* So do a page's stylesheets: a `<style>` or stylesheet `<link>` added to, edited in or removed
   * from the page's head (a theme switcher's `href` or `disabled`, a script writing its palette),
   * and any stylesheet of the page as it finishes loading (`load` does not bubble, so it is caught
   * on its way down). Rules a script adds through the CSSOM (`insertRule`) are not seen. */
  function isSheet(node) {
    return node && (node.localName === "style" || (node.localName === "link" && /stylesheet/i.test(node.rel)));
  }
  new MutationObserver(function (changes) {
    if (changes.some(function (change) {
      return isSheet(change.target) || isSheet(change.target.parentNode) ||
        [].some.call(change.addedNodes, isSheet) || [].some.call(change.removedNodes, isSheet);
    })) checkAll();
  }).observe(document.head || document.documentElement, { childList: true, attributes: true, characterData: true, subtree: true });
  document.addEventListener("load", function (event) { if (isSheet(event.target)) checkAll(); }, true);

  window.DollrCheckout = { mount: mount, version: "0.1.0" };
  window.addEventListener("error", function (event) { onUncaught(event.error, event); });
  window.addEventListener("unhandledrejection", function (event) { onUncaught(event.reason, event); });
  loadStyle();
  loadCore();
  setTimeout(warmIntl, 0);
  if (!customElements.get("dollr-checkout")) customElements.define("dollr-checkout", Element);
})();
