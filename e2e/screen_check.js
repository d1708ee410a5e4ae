// The screen check's eye (see screen_check.py): the faults of the screen as drawn now, as a list
// of short descriptions. Only text a person can see counts.
(() => {
  const found = [];
  const persian = (document.documentElement.lang || 'fa').startsWith('fa');
  const SKIP = 'script, style, noscript, template, [hidden]';
  const LATIN_OK = 'bdi, [dir="ltr"], code, kbd, samp, [lang]:not([lang^="fa"])';
  const PERSIAN_OK = '[lang^="fa"], [dir="rtl"], bdi';
  const LEAK = /(^|[^\w-])(true|false|undefined|null|NaN)(?![\w-])|\[object |%\(\w+\)[sd]|\{\w+\}/;
  const LATIN = /[A-Za-z]/;
  const ACRONYM = /\b[A-Z]{2,5}[0-9]*\b/g; // QR, PDF, API: Persian writes them so, in order
  const ISOLATED = /[\u2066\u2067\u2068][^\u2069]*\u2069/g; // LRI/RLI/FSI … PDI: set apart
  const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
  const LONGEST_UNBREAKABLE = 24; // longer "words" (addresses) may wrap on a narrow screen

  const where = (element) => {
    const id = element.id ? `#${element.id}` : '';
    const classes = element.classList.length ? `.${[...element.classList].join('.')}` : '';
    return `<${element.tagName.toLowerCase()}${id}${classes}>`;
  };
  const visible = (element) =>
    element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) &&
    !element.closest(SKIP);
  const quote = (text) => JSON.stringify(text.trim().replace(/\s+/g, ' ').slice(0, 80));

  /** The distinct lines a piece of a text node is drawn on. */
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 4).length;
  };

  /** A word of this text node drawn on more than one line. */
  const brokenWord = (node) => {
    const words = node.data.matchAll(/\S+/g);
    for (const word of words) {
      if (word[0].length < 2 || word[0].length > LONGEST_UNBREAKABLE) continue;
      if (lines(node, word.index, word.index + word[0].length) > 1) return word[0];
    }
    return null;
  };

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const element = node.parentElement;
    if (!text.trim() || !element || !visible(element)) continue;
    const leak = text.match(LEAK);
    if (leak) found.push(`${where(element)} shows ${quote(leak[0])} in ${quote(text)}`);
    const loose = text.replace(ISOLATED, '');
    if (persian && LATIN.test(loose.replace(ACRONYM, '')) && !element.closest(LATIN_OK)) {
      found.push(`${where(element)} has Latin outside an element marked as Latin: ${quote(text)}`);
    }
    if (!persian && ARABIC_SCRIPT.test(loose) && !element.closest(PERSIAN_OK)) {
      found.push(`${where(element)} has Persian in English, not marked as data: ${quote(text)}`);
    }
    const drawn = element.getBoundingClientRect().width > 1; // not a screen reader's text
    const broken = drawn && brokenWord(node);
    if (broken) found.push(`${where(element)} breaks the word ${quote(broken)} across lines`);
  }

  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    found.push(`the page scrolls sideways (${page.scrollWidth} px in ${page.clientWidth} px)`);
  }
  return found;
})();
