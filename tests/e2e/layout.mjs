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

/** The side-by-side pairs in the page's checkouts (in open shadow roots) drawn closer than the
 *  checkout's stylesheet spaces them, as `selector: N px apart, not M`: a row's label and its
 *  figure (the order's lines, the receipt's rows: 1em), a radio and its words (.35em), the
 *  waiting screen's timers (2em). Engines without flex gaps draw these with no space at all when
 *  that space is a gap. */
export function crowded() {
  const spaced = [[".dollr-line", 1], [".dollr-receipt div", 1], [".dollr-choice", 0.35], [".dollr-timers", 2]];
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (!el.shadowRoot) continue;
      for (const [selector, em] of spaced) {
        for (const pair of el.shadowRoot.querySelectorAll(selector)) {
          for (let i = 1; i < pair.children.length; i += 1) {
            const second = pair.children[i];
            const apart = second.getBoundingClientRect().left - pair.children[i - 1].getBoundingClientRect().right;
            const wanted = em * parseFloat(getComputedStyle(second).fontSize);
            if (apart < wanted - 0.5) found.push(`${selector}: ${apart.toFixed(1)} px apart, not ${wanted.toFixed(1)}`);
          }
        }
      }
      walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}
