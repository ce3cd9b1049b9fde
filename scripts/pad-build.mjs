// Measuring aid (not part of any build): makes a copy of a release build heavier by about a given
// number of brotli bytes, to measure what the download's size alone costs a payer on each network
// (`COMPARE=` in bench-embed.mjs, the copy behind a second proxy; docs/budgets.md, "What the
// download's size costs a payer").
// Usage: node scripts/pad-build.mjs DIST BYTES   (DIST: a copy of dist, changed in place)
// The wasm in DIST/cdn gets a custom section of BYTES random bytes, which brotli cannot shrink and
// the browser neither compiles nor runs. The loader's and the manifest's digests of the wasm, and
// the precompressed copies of the wasm and the loader (its pinned copy too), are written again to
// match. The copy measures bytes arriving only: real code of that size would also be compiled.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { brotli, gzip } from "./compression.mjs";
import { integrityOf as digest } from "./sri.mjs";
import { encodeName, encodeSection } from "./wasm-reader.mjs";

const [dist, count] = process.argv.slice(2);
const extra = Number(count);
if (!dist || !Number.isInteger(extra) || extra < 1) {
  console.error("usage: node scripts/pad-build.mjs DIST BYTES (a copy of dist; BYTES a whole number)");
  process.exit(2);
}
const cdn = `${dist}/cdn`;
const manifestPath = `${cdn}/dollr-checkout.manifest.json`;
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const wasmPath = `${cdn}/${manifest.wasm}`;
const loaderPath = `${cdn}/${manifest.loader}`;

/** Writes `bytes` to `path` with its precompressed copies, as the release build ships them. */
function writeShipped(path, bytes) {
  writeFileSync(path, bytes);
  writeFileSync(`${path}.br`, brotli(bytes));
  writeFileSync(`${path}.gz`, gzip(bytes));
}

const wasm = readFileSync(wasmPath);
const padded = Buffer.concat([wasm, encodeSection(0, [encodeName("padding"), randomBytes(extra)])]);
const loader = readFileSync(loaderPath, "utf8");
const [before, after] = [digest(wasm), digest(padded)];
if (loader.split(before).length !== 2 || manifest.integrity.wasm !== before) {
  console.error(`pad-build: ${cdn} is not one release build: the loader or manifest lacks the wasm's digest`);
  process.exit(1);
}
writeShipped(wasmPath, padded);
const padLoader = Buffer.from(loader.replace(before, after));
// The pinned copy too, so that the manifest names one loader (its name keeps the old hash).
for (const name of [manifest.loader, manifest.pinnedLoader]) writeShipped(`${cdn}/${name}`, padLoader);
manifest.integrity.wasm = after;
manifest.integrity.loader = digest(padLoader);
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${manifest.wasm}: brotli ${brotli(wasm).length} -> ${brotli(padded).length} bytes`);
