// Checks that a release script uses only syntax the README's browser floor parses (Chrome 64,
// Edge 79, Firefox 67, Safari 11.1): ES2017, object rest and spread, and the dynamic `import()`
// and `import.meta` that set the floor. A later syntax that wasm-bindgen's glue or the minifier
// might one day write (`?.`, `??`, a `catch` without its binding, `for await`, class fields, a
// regular expression's lookbehind…) would stop those browsers parsing the file, and the checkout
// would never start there.
// Usage: node scripts/js-floor.mjs script|module FILE.js   (exit 1, saying where, when it is not)
import { readFileSync } from "node:fs";
import { parse } from "acorn";

const [kind, file] = process.argv.slice(2);
if (!["script", "module"].includes(kind) || !file) {
  console.error("usage: node scripts/js-floor.mjs script|module FILE.js");
  process.exit(2);
}
const source = readFileSync(file, "utf8");

/** What in `node` is newer than the floor, or null. */
function newer(node) {
  switch (node.type) {
    case "ChainExpression":
      return "optional chaining (?.)";
    case "LogicalExpression":
      return node.operator === "??" ? "nullish coalescing (??)" : null;
    case "CatchClause":
      return node.param ? null : "a catch without its binding";
    case "ForOfStatement":
      return node.await ? "for await" : null;
    case "FunctionDeclaration":
    case "FunctionExpression":
      return node.async && node.generator ? "an async generator" : null;
    case "Literal":
      if (typeof node.bigint === "string") return "a BigInt literal";
      if (node.regex && /\(\?<[=!]/.test(node.regex.pattern)) return "a regular expression's lookbehind";
      return null;
    default:
      return null;
  }
}

let tree;
try {
  // ES2020 reads import() and import.meta; anything later fails to parse here already.
  tree = parse(source, { ecmaVersion: 2020, sourceType: kind, locations: true });
} catch (error) {
  console.error(`${file} does not parse as ES2020 (the browser floor is older): ${error.message}`);
  process.exit(1);
}
const found = [];
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node.type !== "string") return;
  const what = newer(node);
  if (what) found.push(`${what} at ${node.loc.start.line}:${node.loc.start.column + 1}: ${source.slice(node.start, Math.min(node.end, node.start + 60))}`);
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (child && typeof child === "object" && key !== "loc") visit(child);
  }
};
visit(tree);
if (found.length) {
  console.error(`${file} uses syntax newer than the browser floor (the README's Browsers):\n  ${found.join("\n  ")}`);
  process.exitCode = 1;
}
