// Size report: what a merchant's page downloads for the widget (wasm, JS glue, CSS), raw,
// gzip and brotli (scripts/compression.mjs, as release builds ship them), from dist/ after a
// release build.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotli, gzip } from "./compression.mjs";

// What a mobile-money payer downloads: the loader and the files it fetches, as the build's
// manifest names them (dist/cdn also holds a pinned copy of the loader), Stripe.js excluded.
const dist = process.argv[2] || "dist/cdn";
let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, "dollr-checkout.manifest.json"), "utf8"));
} catch (error) {
  console.error(`size report: cannot read ${dist}/dollr-checkout.manifest.json (${error.message}): run a release build`);
  process.exit(1);
}
const shipped = [manifest.loader, manifest.glue, manifest.wasm, manifest.stylesheet].sort();
const kb = (n) => (n / 1000).toFixed(1).padStart(8) + " KB";
let total = [0, 0, 0];
console.log(`size report (${dist}, release build)`);
console.log(`${"file".padEnd(38)}${"raw".padStart(11)}${"gzip".padStart(11)}${"brotli".padStart(11)}`);
for (const name of shipped) {
  const bytes = readFileSync(join(dist, name));
  const sizes = [
    bytes.length,
    gzip(bytes).length,
    brotli(bytes).length,
  ];
  total = total.map((t, i) => t + sizes[i]);
  console.log(`${name.padEnd(38)}${sizes.map(kb).join("")}`);
}
console.log(`${"total".padEnd(38)}${total.map(kb).join("")}`);
