#!/usr/bin/env bash
# Trunk post-build hook: lays out the files merchants host, beside the dev page.
#   cdn/  dollr-checkout.js (loader), dollr-checkout-core.HASH.js (wasm-bindgen glue),
#         dollr-checkout_bg.HASH.wasm, dollr-checkout.HASH.css, dollr-checkout.d.ts
#         (HASH: the first 12 hex digits of the file's SHA-256, written into the loader),
#         and their SHA-384 digests (also written into the loader, which has the browser check them),
#         dollr-checkout.HASH.js (a copy of the loader, for pages that pin it with `integrity`),
#         dollr-checkout.manifest.json (those names and the four files' digests, for a merchant's
#         page: preload hints, the loader's `integrity`);
#         in release builds each of the four the payer downloads also as FILE.br and FILE.gz
#   shop/ a plain static merchant page using only the script tag, under a strict CSP
set -euo pipefail
out="${TRUNK_STAGING_DIR:-dist}"
src="${TRUNK_SOURCE_DIR:-.}"
mkdir -p "$out/cdn" "$out/shop"
cp "$out/dollr-checkout.js" "$out/cdn/dollr-checkout-core.js"
cp "$out/dollr-checkout_bg.wasm" "$out/cdn/"
cp "$src/www/dollr-checkout.css" "$out/cdn/"
cp "$src/www/dollr-checkout.js" "$out/cdn/"
cp "$src/www/dollr-checkout.d.ts" "$out/cdn/"
cp "$src/www/shop/"* "$out/shop/"
# The glue stops the wasm at the first exception that leaves it and tells the loader, which then
# replaces the crashed checkout in every engine (README "Events", `Crashed`).
node "$src/scripts/wasm-exits.mjs" "$out/cdn/dollr-checkout-core.js"

# Release builds ship minified JavaScript and CSS (the readable sources stay in www/ and the glue
# is wasm-bindgen's). terser and csso are npm dev dependencies installed by scripts/setup.sh.
if [ "${TRUNK_PROFILE:-}" = release ]; then
  terser="$src/node_modules/.bin/terser"
  [ -x "$terser" ] || { echo "package.sh: $terser is missing: run make setup" >&2; exit 1; }
  # The wasm's imports from the glue under short names in both (their hashed names do not
  # compress).
  node "$src/scripts/short-imports.mjs" "$out/cdn/dollr-checkout-core.js" "$out/cdn/dollr-checkout_bg.wasm"
  # The glue's views over the wasm's memory made anew after each growth in the oldest browsers of
  # the floor too (Chromium 64 and 65 keep the old buffer when the wasm grows its memory).
  node "$src/scripts/memory-views.mjs" "$out/cdn/dollr-checkout-core.js"
  "$terser" "$out/cdn/dollr-checkout.js" --compress --mangle --comments false -o "$out/cdn/dollr-checkout.js"
  "$terser" "$out/cdn/dollr-checkout-core.js" --module --compress --mangle --comments false \
    -o "$out/cdn/dollr-checkout-core.js"
  node "$src/scripts/minify-css.mjs" "$out/cdn/dollr-checkout.css"
  # The release wasm runs in WebAssembly 1.0 (MVP) engines (the README's Browsers): refused if
  # any instruction of a later feature (reference types, bulk memory, sign extension…) got in.
  node "$src/scripts/wasm-mvp.mjs" "$out/cdn/dollr-checkout_bg.wasm"
  # The loader and the glue parse in those browsers too: refused if a later syntax got in.
  node "$src/scripts/js-floor.mjs" script "$out/cdn/dollr-checkout.js"
  node "$src/scripts/js-floor.mjs" module "$out/cdn/dollr-checkout-core.js"
fi

# Content-addressed names for what the loader fetches: a merchant can cache them for good (only
# the loader's own URL is stable), and a loader never meets a glue or wasm from another build,
# which would fail to link. Each file's Subresource Integrity digest goes into the loader too,
# which has the browser refuse any other bytes under that name.
loader="$out/cdn/dollr-checkout.js"
declare -A hashed_names digests
# Replaces the one occurrence of the JS string "$1" in the loader with "$2".
rewrite_loader_string() {
  local count
  count=$(grep -oF "\"$1\"" "$loader" | wc -l)
  [ "$count" = 1 ] || { echo "package.sh: the loader names \"$1\" $count times, expected once" >&2; exit 1; }
  sed -i "s|\"${1//./\\.}\"|\"$2\"|" "$loader"
}
# NAME with the first 12 hex digits of FILE's SHA-256 before its extension.
content_name() { echo "${2%.*}.$(sha256sum "$1" | cut -c1-12).${2##*.}"; }
for name in dollr-checkout-core.js dollr-checkout_bg.wasm dollr-checkout.css; do
  hashed=$(content_name "$out/cdn/$name" "$name")
  mv "$out/cdn/$name" "$out/cdn/$hashed"
  hashed_names[$name]="$hashed"
  digests[$name]=$(node "$src/scripts/sri.mjs" "$out/cdn/$hashed")
  rewrite_loader_string "$name" "$hashed"
  rewrite_loader_string "integrity:$name" "${digests[$name]}"
done
digests[dollr-checkout.js]=$(node "$src/scripts/sri.mjs" "$loader")
# A content-addressed copy of the loader, for pages that pin it with `integrity`: the stable name
# may be reused from a browser's cache after a deploy (see the proxy's caching), and an old copy
# would not match the new digest; this name always holds the bytes of its digest.
pinned_loader=$(content_name "$loader" dollr-checkout.js)
cp "$loader" "$out/cdn/$pinned_loader"

# The names and digests for a merchant's server, which may put preload hints for them in its pages
# (one round trip less before the wasm starts downloading; README "Preload hints") and pin the
# loader with `integrity` (README "Integrity").
printf '{
  "loader": "dollr-checkout.js",
  "pinnedLoader": "%s",
  "glue": "%s",
  "wasm": "%s",
  "stylesheet": "%s",
  "integrity": {
    "loader": "%s",
    "glue": "%s",
    "wasm": "%s",
    "stylesheet": "%s"
  }
}
' "$pinned_loader" "${hashed_names[dollr-checkout-core.js]}" "${hashed_names[dollr-checkout_bg.wasm]}" \
  "${hashed_names[dollr-checkout.css]}" "${digests[dollr-checkout.js]}" \
  "${digests[dollr-checkout-core.js]}" "${digests[dollr-checkout_bg.wasm]}" \
  "${digests[dollr-checkout.css]}" >"$out/cdn/dollr-checkout.manifest.json"

# Precompressed copies (release): what a payer downloads is the brotli size the size report quotes,
# from any server that sends them (the proxy's static files do).
if [ "${TRUNK_PROFILE:-}" = release ]; then
  node "$src/scripts/precompress.mjs" "$out"/cdn/*.js "$out"/cdn/*.wasm "$out"/cdn/*.css
fi
