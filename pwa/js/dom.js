// A tiny DOM builder: text goes in as text (never as HTML), so nothing a server or a person
// typed can become markup.

/** Make an element: h('p', {class: 'x'}, 'text', child, …). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A value shown as it came — a name, a drug, a centre, a device — isolated (<bdi>), so that it
 *  keeps its own direction in either language and reads as data, not as the app's own words. */
export function data(value) {
  return h('bdi', { class: 'data' }, value);
}

/** A file input in the app's own words: the browser's button says «Choose File» in the browser's
 *  language, so the input sits under a button of ours, with the chosen file's name beside it. The
 *  input keeps its label (the field's), its keyboard and its place in the form; our button is a
 *  second label, hidden from screen readers, which read the field's. */
export function fileChoice(input, chooseText, noneText) {
  const name = h('span', { class: 'file-name' }, noneText);
  input.classList.add('file-input');
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    name.replaceChildren(file ? data(file.name) : noneText);
  });
  return h('span', { class: 'file-choice' },
    input,
    h('label', { for: input.id, class: 'button secondary file-button', 'aria-hidden': 'true' }, chooseText),
    name);
}

const SVG = 'http://www.w3.org/2000/svg';
const PATHS = {
  covered: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  'not-covered': 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  refresh: 'M17.6 6.4A8 8 0 1 0 19.7 14h-2.1a6 6 0 1 1-1.4-6.2L13 11h7V4z',
  copy: 'M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11z',
  offline: 'M12 4a13 13 0 0 0-9.2 3.8l1.4 1.4A11 11 0 0 1 12 6c3 0 5.8 1.2 7.8 3.2l1.4-1.4A13 13 0 0 0 12 4zm-5.7 7.3 1.4 1.4a6 6 0 0 1 8.6 0l1.4-1.4a8 8 0 0 0-11.4 0zM12 16a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM3.3 2 2 3.3l18.7 18.7 1.3-1.3z',
  home: 'M12 3 2 12h3v8h6v-6h2v6h6v-8h3z',
  family: 'M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm0 2c-2.7 0-8 1.3-8 4v3h16v-3c0-2.7-5.3-4-8-4zm8 0h-1a5 5 0 0 1 3 4v3h6v-3c0-2.7-5.3-4-8-4z',
  settings: 'M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7 7 0 0 0-1.7-1L15 3h-4l-.4 2.9a7 7 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7 7 0 0 0 1.7 1L11 21h4l.4-2.9a7 7 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z',
  help: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 17h-2v-2h2zm2.1-7.8-.9.9A3.4 3.4 0 0 0 13 15h-2v-.5a4 4 0 0 1 1.2-2.8l1.2-1.3A2 2 0 1 0 10 9H8a4 4 0 1 1 7.1 2.2z',
  records: 'M19 3h-4.2a3 3 0 0 0-5.6 0H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-7 0a1 1 0 1 1 0 2 1 1 0 0 1 0-2zm2 14H7v-2h7zm3-4H7v-2h10zm0-4H7V7h10z',
  drug: 'M7 7h10a5 5 0 0 1 0 10H7A5 5 0 0 1 7 7zm0 2a3 3 0 0 0 0 6h4V9z',
  lab: 'M9 2h6v2h-1v5.2l5.6 9.3a2 2 0 0 1-1.7 2.5H6.1a2 2 0 0 1-1.7-2.5L10 9.2V4H9zm-.4 13h6.8l-1.8-3H10.4z',
  imaging: 'M3 3h6v2H5v4H3zm12 0h6v6h-2V5h-4zM3 15h2v4h4v2H3zm16 0h2v6h-6v-2h4zM12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
  physio: 'M13.5 5.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM9.8 8.9 7 23h2.1l1.8-8 2.1 2v6h2v-7.5l-2.1-2 .6-3A7.3 7.3 0 0 0 19 13v-2a5 5 0 0 1-4.3-2.4l-1-1.6a2 2 0 0 0-1.7-1l-.8.1L6 8.3V13h2V9.6z',
  visit: 'M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-2 11h-3v3h-4v-3H7v-4h3V7h4v3h3z',
  notices: 'M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1z',
  ending: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7z',
  phone: 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
  'access-log': 'M12 4.5C7 4.5 2.7 7.6 1 12c1.7 4.4 6 7.5 11 7.5s9.3-3.1 11-7.5c-1.7-4.4-6-7.5-11-7.5zM12 17a5 5 0 1 1 0-10 5 5 0 0 1 0 10zm0-8a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
};

/** An icon that screen readers skip (the words beside it say the same). */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.append(path);
  return svg;
}

// A run of Latin text (an address, a code, an abbreviation such as HDL) inside a sentence, and
// the 1420 line (Persian or Latin digits), which becomes a tappable tel: link.
const FRAGMENT = /(1420\.tamin\.ir|[A-Za-z][A-Za-z0-9.:/_-]*[A-Za-z0-9]|[A-Za-z]|\*[0-9۰-۹*]+#|۱۴۲۰|(?<![0-9])1420(?![0-9]))/g;

/** A sentence as nodes: Latin fragments isolated left to right (so «1420.tamin.ir» keeps its
 *  order inside Persian), and 1420 as a tel: link. */
export function rich(text) {
  const nodes = [];
  const persian = document.documentElement.lang === 'fa'; // English needs no isolating
  let last = 0;
  text = String(text);
  for (const match of text.matchAll(FRAGMENT)) {
    const [fragment] = match;
    if (!persian && !/^(1420|\*)/.test(fragment)) continue;
    if (match.index > last) nodes.push(text.slice(last, match.index));
    if (fragment === '۱۴۲۰' || fragment === '1420') nodes.push(h('a', { href: 'tel:1420', class: 'tel' }, fragment));
    else if (fragment.startsWith('*')) nodes.push(h('a', { href: `tel:${encodeURIComponent(toLatin(fragment))}`, dir: 'ltr', class: 'tel' }, fragment.replace(/([*#]|[۰-۹]+)/g, '$1\u200e')));
    else if (fragment.includes('.tamin.ir')) nodes.push(h('a', { href: `https://${fragment}`, rel: 'noopener', dir: 'ltr', class: 'latin' }, fragment));
    else nodes.push(h('bdi', { dir: 'ltr', class: 'latin' }, fragment));
    last = match.index + fragment.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function toLatin(text) {
  return text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}
