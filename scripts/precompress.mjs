// Release builds ship each file the payer downloads beside its compressed copies, FILE.br (brotli,
// quality 11) and FILE.gz (gzip, level 9), for servers and CDNs that send a precompressed copy when
// the browser accepts it (the proxy's static files do). Usage: node scripts/precompress.mjs FILE...
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
}
