// Layout checks that run inside the page, in any browser (Playwright's `evaluate` in Chromium,
// WebDriver's in WebKit): each is a self-contained function, sent to the page as its source.

/** The elements of the page, and of every open shadow root in it, that reach past the screen's
 *  left or right edge, as `name.class`. */
export function pastTheScreen() {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.left < 0 || box.right > innerWidth)) found.push(`${el.localName}.${el.className}`);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}

/** How many lines the text in `el` is drawn on, from `start` to the end of the text node holding
 *  it (1: not split), or a sentence when `el` has no such text. */
export function linesOf(el, start) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.data.includes(start)) node = walker.nextNode();
  if (!node) return `no "${start}" in ${JSON.stringify(el.textContent)}`;
  const range = document.createRange();
  range.setStart(node, node.data.indexOf(start));
  range.setEnd(node, node.data.length);
  return new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size;
}
