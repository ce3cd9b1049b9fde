// Prints the Subresource Integrity value (SHA-384, base64) of each file named, one per line:
//   node scripts/sri.mjs FILE...
// `integrityOf` computes it for bytes in hand (pad-build.mjs).
import { createHash } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The Subresource Integrity value of `bytes`: `sha384-` and its SHA-384 digest in base64. */
export function integrityOf(bytes) {
  return `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
}

// Run as a command (a path through a symbolic link too), not imported.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  for (const file of process.argv.slice(2)) console.log(integrityOf(readFileSync(file)));
}
