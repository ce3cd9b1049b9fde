// Makes wasm-bindgen's glue notice every growth of the wasm's memory, in the oldest browsers of
// the README's floor too.
// The glue keeps typed-array views over the wasm's memory (`cachedUint8ArrayMemory0`, through
// which every string passes) and makes a new one only when the old one reads as empty: a growth
// detaches the memory's old buffer, and a view over a detached buffer has no bytes. Chromium 64
// and 65 do not detach the old buffer when the wasm itself grows its memory (`memory.grow`);
// only a growth asked from JavaScript does (from Chromium 66 both do). There the glue went on
// using the old buffer after the checkout's first growth: each string it handed over read as
// empty, and each it wrote for the wasm was lost, so the checkout drew an empty screen and never
// started. Comparing the view's buffer with the memory's own, as the glue already does for its
// DataView where a buffer cannot say it is detached, holds in every engine.
// Usage: node scripts/memory-views.mjs GLUE.js   (rewritten in place; exit 1 when the glue has
// no such view, as a later wasm-bindgen might write it otherwise)
import { readFileSync, writeFileSync } from "node:fs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/memory-views.mjs GLUE.js");
  process.exit(2);
}
const glue = readFileSync(file, "utf8");
// `cachedUint8ArrayMemory0.byteLength === 0`, and the same for any other typed array it keeps.
const EMPTY_VIEW = /\b(cached\w+Memory0)\.byteLength === 0/g;
const checked = glue.replace(EMPTY_VIEW, "$1.buffer !== wasm.memory.buffer");
if (!/\bcachedUint8ArrayMemory0\.buffer !== wasm\.memory\.buffer/.test(checked)) {
  console.error(`memory-views: ${file} does not test its Uint8Array view over the wasm's memory as expected`);
  process.exit(1);
}
writeFileSync(file, checked);
