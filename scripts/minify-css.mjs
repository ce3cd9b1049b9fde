// Release builds ship the widget's stylesheet minified: node scripts/minify-css.mjs FILE (in place).
// csso without restructuring, so every rule keeps its place and the cascade is the one written in
// www/dollr-checkout.css (the readable source, with the theming tokens' comments).
import { readFileSync, writeFileSync } from "node:fs";
import { minify } from "csso";

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/minify-css.mjs FILE");
  process.exit(2);
}
const { css } = minify(readFileSync(file, "utf8"), { restructure: false });
if (!css.trim()) {
  console.error(`minify-css: ${file} came out empty`);
  process.exit(1);
}
writeFileSync(file, css);
