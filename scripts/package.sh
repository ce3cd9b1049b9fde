#!/usr/bin/env bash
# Trunk post-build hook: lays out the files merchants host, beside the dev page.
#   cdn/  dollr-checkout.js (loader), dollr-checkout-core.js (wasm-bindgen glue),
#         dollr-checkout_bg.wasm, dollr-checkout.css, dollr-checkout.d.ts
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

# Release builds ship minified JavaScript (the readable sources stay in www/ and the glue is
# wasm-bindgen's). terser is an npm dev dependency installed by scripts/setup.sh.
if [ "${TRUNK_PROFILE:-}" = release ]; then
  terser="$src/node_modules/.bin/terser"
  [ -x "$terser" ] || { echo "package.sh: $terser is missing: run make setup" >&2; exit 1; }
  "$terser" "$out/cdn/dollr-checkout.js" --compress --mangle --comments false -o "$out/cdn/dollr-checkout.js"
  "$terser" "$out/cdn/dollr-checkout-core.js" --module --compress --mangle --comments false \
    -o "$out/cdn/dollr-checkout-core.js"
fi
