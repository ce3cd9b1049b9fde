// The README's preload hints for one build, named from its dist/cdn/dollr-checkout.manifest.json:
// what a merchant's server writes into its page's <head> (scripts/bench-embed.mjs and the
// end-to-end tests use this one copy). `prefix` is where the files are served, e.g. "/cdn/".
// The wasm's hint carries no digest: Chromium ignores one on an `as="fetch"` preload, with a
// console warning (https://crbug.com/981419); the loader's own fetch checks the bytes it takes.
export function preloadHints(files, prefix) {
  const { integrity } = files;
  return (
    `<link rel="preload" href="${prefix}${files.wasm}" as="fetch" type="application/wasm" crossorigin>` +
    `<link rel="modulepreload" href="${prefix}${files.glue}" crossorigin integrity="${integrity.glue}">` +
    `<link rel="preload" href="${prefix}${files.stylesheet}" as="style" crossorigin integrity="${integrity.stylesheet}">`
  );
}
