// Gives the functions the wasm imports from its JavaScript glue short names, in both files.
// wasm-bindgen names each after the function it calls and a 16-hex-digit hash
// (`__wbg_keys_105f5c0857898f84`), written twice: in the wasm's import section and as a key in
// the glue; so are the closure adapters the wasm exports. The hashes do not compress: with 166
// such names, short ones make the two files 4.1 KB brotli smaller (docs/budgets.md). The names
// mean nothing outside this pair of files, which the loader always fetches together
// (content-addressed, package.sh).
// Usage: node scripts/short-imports.mjs GLUE.js FILE.wasm   (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const [glueFile, wasmFile] = process.argv.slice(2);
const bytes = readFileSync(wasmFile);
let glue = readFileSync(glueFile, "utf8");
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

let at = 8; // after the magic number and version
const uleb = () => {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return value;
};
const encode = (value) => {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};
const name = (text) => Buffer.concat([encode(Buffer.byteLength(text)), Buffer.from(text)]);
const limits = () => { if (uleb() & 1) uleb(); uleb(); };

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

const parts = [bytes.subarray(0, 8)];
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = uleb();
  const end = at + size;
  if (id === 7) {
    // Exports: the glue calls some by name (a name it does not use stays).
    const count = uleb();
    const entries = [encode(count)];
    for (let i = 0; i < count; i++) {
      const fieldLength = uleb();
      const field = bytes.subarray(at, at + fieldLength).toString();
      at += fieldLength;
      const described = at;
      at++;
      uleb();
      entries.push(name(shorten(field, false)), bytes.subarray(described, at));
    }
    if (at !== end) fail(`${wasmFile}: its export section did not read to its end`);
    const section = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encode(section.length), section);
    continue;
  }
  if (id !== 2) {
    parts.push(bytes.subarray(start, end));
    at = end;
    continue;
  }
  const count = uleb();
  const entries = [encode(count)];
  for (let i = 0; i < count; i++) {
    const moduleLength = uleb();
    const module = bytes.subarray(at, at + moduleLength).toString();
    at += moduleLength;
    const fieldLength = uleb();
    const field = bytes.subarray(at, at + fieldLength).toString();
    at += fieldLength;
    const described = at;
    const kind = bytes[at++];
    if (kind === 0) uleb(); // a function: its type
    else if (kind === 1) { at++; limits(); } // a table: element type, limits
    else if (kind === 2) limits(); // a memory
    else if (kind === 3) at += 2; // a global: value type, mutability
    else fail(`${wasmFile}: import ${field} of unknown kind ${kind}`);
    entries.push(name(module), name(shorten(field, true)), bytes.subarray(described, at));
  }
  if (at !== end) fail(`${wasmFile}: its import section did not read to its end`);
  const section = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encode(section.length), section);
}
writeFileSync(wasmFile, Buffer.concat(parts));
writeFileSync(glueFile, glue);
console.log(`short-imports: ${renamed} imports and exports renamed`);
