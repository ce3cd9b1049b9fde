// The compression a payer's download gets: brotli at quality 11 and gzip at level 9. One place, so
// the copies release builds ship (precompress.mjs) and the sizes the size report quotes agree.
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

/** `bytes` as brotli, quality 11. */
export function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
}

/** `bytes` as gzip, level 9. */
export function gzip(bytes) {
  return gzipSync(bytes, { level: 9 });
}
