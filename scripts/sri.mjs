// Prints the Subresource Integrity value (SHA-384, base64) of each file named, one per line:
//   node scripts/sri.mjs FILE...
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  console.log(`sha384-${createHash("sha384").update(readFileSync(file)).digest("base64")}`);
}
