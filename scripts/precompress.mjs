// Release builds ship each file the payer downloads beside its compressed copies, FILE.br and
// FILE.gz (compression.mjs), for servers and CDNs that send a precompressed copy when the browser
// accepts it (the proxy's static files do). Usage: node scripts/precompress.mjs FILE...
import { readFileSync, writeFileSync } from "node:fs";
import { brotli, gzip } from "./compression.mjs";

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  writeFileSync(`${file}.br`, brotli(bytes));
  writeFileSync(`${file}.gz`, gzip(bytes));
}
