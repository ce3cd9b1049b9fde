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
import { WasmReader } from "./wasm-reader.mjs";

const file = process.argv[2];
const bytes = readFileSync(file);
const wasm = new WasmReader(bytes);
const kept = [bytes.subarray(0, 8)];
for (const { id, start, end } of wasm.sections()) {
  if (id !== 0 || wasm.name() !== "target_features") kept.push(bytes.subarray(start, end));
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
