// Gives the functions the wasm imports from its JavaScript glue short names, in both files.
// wasm-bindgen names each after the function it calls and a 16-hex-digit hash
// (`__wbg_keys_105f5c0857898f84`), written twice: in the wasm's import section and as a key in
// the glue; so are the closure adapters the wasm exports. The hashes do not compress: with 166
// such names, short ones make the two files 4.1 KB brotli smaller (docs/budgets.md). The names
// mean nothing outside this pair of files, which the loader always fetches together
// (content-addressed, package.sh).
// Usage: node scripts/short-imports.mjs GLUE.js FILE.wasm   (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";
import { WasmReader, encodeName, encodeSection, encodeUleb } from "./wasm-reader.mjs";

const [glueFile, wasmFile] = process.argv.slice(2);
const bytes = readFileSync(wasmFile);
let glue = readFileSync(glueFile, "utf8");
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

// A name with a hash in it (`__wbg_keys_105f5c0857898f84`, `__wbindgen_generic_0000000000000001`,
// the closure adapters' `wasm_bindgen_38b43103c566727d___convert__closures…`).
const HASHED = /[0-9a-f]{16}/;
let renamed = 0;
// The short name for `field`, written into the glue; `needed`: the glue must name it.
// Whole names only: one adapter's name can begin another's (`…_true_`, `…_true__1_`).
const named = (text) => new RegExp(`(?<![\\w$])${text}(?![\\w$])`, "g");
const shorten = (field, needed) => {
  if (!HASHED.test(field) || !/^\w+$/.test(field)) return field;
  const uses = (glue.match(named(field)) || []).length;
  if (uses === 0 && !needed) return field;
  if (uses === 0) fail(`${glueFile} does not define ${field}, which ${wasmFile} imports: not a pair`);
  const short = `_${renamed.toString(36)}`;
  renamed++;
  if (named(short).test(glue)) fail(`${glueFile} already uses the name ${short}`);
  glue = glue.replace(named(field), short);
  return short;
};

const wasm = new WasmReader(bytes);
const limits = () => { if (wasm.uleb() & 1) wasm.uleb(); wasm.uleb(); };
// An import: its module, its name (which the glue must define), what it is.
const importEntry = () => {
  const module = wasm.name();
  const field = wasm.name();
  const described = wasm.at;
  const kind = bytes[wasm.at++];
  if (kind === 0) wasm.uleb(); // a function: its type
  else if (kind === 1) { wasm.at++; limits(); } // a table: element type, limits
  else if (kind === 2) limits(); // a memory
  else if (kind === 3) wasm.at += 2; // a global: value type, mutability
  else fail(`${wasmFile}: import ${field} of unknown kind ${kind}`);
  return [encodeName(module), encodeName(shorten(field, true)), bytes.subarray(described, wasm.at)];
};
// An export: its name (the glue calls some by name; a name it does not use stays), what it is.
const exportEntry = () => {
  const field = wasm.name();
  const described = wasm.at++;
  wasm.uleb();
  return [encodeName(shorten(field, false)), bytes.subarray(described, wasm.at)];
};

const parts = [bytes.subarray(0, 8)];
for (const { id, start, end } of wasm.sections()) {
  if (id !== 2 && id !== 7) {
    parts.push(bytes.subarray(start, end));
    continue;
  }
  const count = wasm.uleb();
  const entries = [encodeUleb(count)];
  for (let i = 0; i < count; i++) entries.push(...(id === 2 ? importEntry() : exportEntry()));
  if (wasm.at !== end) fail(`${wasmFile}: its ${id === 2 ? "import" : "export"} section did not read to its end`);
  parts.push(encodeSection(id, entries));
}
writeFileSync(wasmFile, Buffer.concat(parts));
writeFileSync(glueFile, glue);
console.log(`short-imports: ${renamed} imports and exports renamed`);
