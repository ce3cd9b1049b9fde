// Checks that a wasm file uses only WebAssembly 1.0 (MVP) instructions, which every browser with
// WebAssembly runs (the README's Browsers). binaryen's validator judges it with MVP features
// alone; the `target_features` section a compiler may leave is dropped first, since binaryen
// would otherwise take the features it names as allowed.
// Usage: node scripts/wasm-mvp.mjs FILE.wasm   (exit 1, saying why, when it is not)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const file = process.argv[2];
const bytes = readFileSync(file);
let at = 8; // after the magic number and version
const uleb = () => {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return value;
};
const kept = [bytes.subarray(0, 8)];
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = uleb();
  const end = at + size;
  const named = id === 0 && bytes.subarray(at + 1, at + 1 + bytes[at]).toString(); // a custom section's name
  if (named !== "target_features") kept.push(bytes.subarray(start, end));
  at = end;
}
const scratch = mkdtempSync(join(tmpdir(), "wasm-mvp-"));
const copy = join(scratch, "module.wasm");
writeFileSync(copy, Buffer.concat(kept));
const wasmOpt = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin", "wasm-opt");
try {
  execFileSync(wasmOpt, ["--mvp-features", copy, "-o", join(scratch, "out.wasm")], { stdio: ["ignore", "ignore", "pipe"] });
} catch (error) {
  const said = String(error.stderr || "").split("\n").find((line) => line.includes("error")) || error.message;
  console.error(`${file} uses WebAssembly instructions beyond 1.0 (MVP): ${said.trim()}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
