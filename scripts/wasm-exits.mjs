// Has wasm-bindgen's glue stop the wasm at the first exception that leaves it, and tell the
// loader, which then knows a trap of the checkout's wasm in every engine.
// A trap (a Rust panic is one in release builds) unwinds the wasm without its destructors, as
// does a JavaScript exception thrown through it, and leaves its memory in an unknown state: the
// loader then replaces every checkout with a sentence telling the payer to reload (README,
// "Events", `Crashed`). It used to know its wasm's trap from the error's stack, which names the
// wasm's URL in Chromium and Firefox, but not in WebKit (`372@<?>:wasm-function[372]`), nor in
// Chromium 64 (`at wasm-function[372]:73`), nor in any Chromium for a wasm compiled from its
// bytes (`wasm://wasm/…`, a CDN labelling it other than `application/wasm`): there a checkout
// that had trapped stayed on screen, taking input. Every call into the wasm goes through the
// exports the glue keeps (`wasm.mount`, the closures' adapters, `__wbindgen_malloc`, …), so the
// glue here keeps them wrapped. The first error one of them throws stops the wasm: the glue
// calls the loader's `whenStopped` callback with it, even when the page's own code catches it
// (a framework calling the element's `focus()` in a try/catch), and `thrownByWasm(error)` tells
// the loader which error it was. From then on each call into the wasm throws that error again
// instead of running: the broken widget's timers and callbacks, which went on polling the proxy
// under the sentence that told the payer to reload, run none of its code.
// Usage: node scripts/wasm-exits.mjs GLUE.js   (rewritten in place; exit 1 when the glue does
// not take the exports as expected, as a later wasm-bindgen might write it otherwise)
import { readFileSync, writeFileSync } from "node:fs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/wasm-exits.mjs GLUE.js");
  process.exit(2);
}
const glue = readFileSync(file, "utf8");
const TAKEN = /\bwasm = instance\.exports;/g;
const found = (glue.match(TAKEN) || []).length;
if (found !== 1) {
  console.error(`wasm-exits: ${file} takes the wasm's exports ${found} times (\`wasm = instance.exports;\`), expected once`);
  process.exit(1);
}
const GUARD = `
/* The first exception to leave the wasm, after which it runs nothing (scripts/wasm-exits.mjs). */
let stopped = false;
let stoppedBy;
let onStop = () => {};
function guardExports(exports) {
    const guarded = {};
    Object.keys(exports).forEach((name) => {
        const value = exports[name];
        guarded[name] = typeof value !== "function" ? value : function () {
            if (stopped) throw stoppedBy;
            try {
                return value.apply(this, arguments);
            } catch (error) {
                if (!stopped) {
                    stopped = true;
                    stoppedBy = error;
                    Promise.resolve(error).then(onStop);
                }
                throw error;
            }
        };
    });
    return guarded;
}
/** Whether \`error\` is the one that left the wasm and stopped it: a trap, or an exception that
 *  unwound it. */
export function thrownByWasm(error) {
    return stopped && error === stoppedBy;
}
/** Has \`callback(error)\` called once the wasm has stopped, in a microtask after the call that
 *  stopped it, whoever catches that error. */
export function whenStopped(callback) {
    onStop = callback;
}
`;
writeFileSync(file, glue.replace(TAKEN, "wasm = guardExports(instance.exports);") + GUARD);
