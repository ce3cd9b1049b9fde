// Size report: what a merchant's page downloads for the widget (wasm, JS glue, CSS), raw,
// gzip and brotli (scripts/compression.mjs, as release builds ship them), from dist/ after a
// release build.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { brotli, gzip } from "./compression.mjs";

// What a mobile-money payer downloads: the files merchants host (dist/cdn), Stripe.js excluded.
const dist = process.argv[2] || "dist/cdn";
const shipped = readdirSync(dist)
  .filter((name) => /\.(wasm|js|css)$/.test(name))
  .sort();
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
if (shipped.length === 0) {
  console.error("size report: nothing found in " + dist);
  process.exit(1);
}
