// Reads a wasm file's sections, and the LEB128 integers and names inside them; encodes them for
// a rewritten file. Shared by the release build's checks and rewrites of the wasm.

/** Reads `bytes` (a wasm file) from just after its magic number and version. */
export class WasmReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 8;
  }

  /** An unsigned LEB128 integer. */
  uleb() {
    let value = 0, shift = 0, byte;
    do {
      byte = this.bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  }

  /** A name: its length, then its UTF-8 bytes. */
  name() {
    const length = this.uleb();
    const text = this.bytes.subarray(this.at, this.at + length).toString();
    this.at += length;
    return text;
  }

  /** Each section in order, `{ id, start, end }` (`start` at its id byte), with the reader at
   *  its contents; the next one is read from `end` whatever the caller read. */
  *sections() {
    while (this.at < this.bytes.length) {
      const start = this.at;
      const id = this.bytes[this.at++];
      const size = this.uleb();
      const end = this.at + size;
      yield { id, start, end };
      this.at = end;
    }
  }
}

/** `value` as an unsigned LEB128 integer. */
export function encodeUleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

/** `text` as a wasm name. */
export function encodeName(text) {
  return Buffer.concat([encodeUleb(Buffer.byteLength(text)), Buffer.from(text)]);
}

/** A section: its id, its size, then `contents` (buffers). */
export function encodeSection(id, contents) {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([id]), encodeUleb(body.length), body]);
}
