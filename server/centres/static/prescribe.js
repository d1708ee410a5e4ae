// Prescribing: search the catalogue as the doctor types (the list under each item field offers
// names; the item picked keeps its code on the field, data-code), check the chosen items for
// interactions whenever they change, set aside the reason of a pair that no longer applies, focus
// the first reason asked for, and print a delivery receipt.
import { postJSON } from '/web/post-json.js';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const localDigits = (text) => (document.documentElement.lang === 'fa'
  ? String(text).replace(/[0-9]/g, (digit) => PERSIAN[digit]) : String(text));

function debounce(run, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => run(...args), ms); };
}

const itemFields = (form) => [...form.querySelectorAll('input[list$="-list"]')];

// The reasons of pairs the items now on the form no longer make are set aside (hidden and not
// sent); the server finds the pairs again from the items on every save.
function setAsidePairs(findings) {
  const current = new Set(findings.map((finding) => finding.id));
  let asideAny = false;
  for (const pair of document.querySelectorAll('.pair[data-finding]')) {
    const aside = !current.has(pair.dataset.finding);
    pair.hidden = aside;
    for (const input of pair.querySelectorAll('input')) input.disabled = aside;
    asideAny ||= aside;
  }
  const note = document.getElementById('pairs-gone');
  if (note) note.hidden = !asideAny;
}

// Ask which of the chosen items interact (with each other or the patient's current medicines).
async function checkFindings(form) {
  const box = document.getElementById('live-findings');
  if (!box) return;
  const codes = itemFields(form).map((input) => input.dataset.code).filter(Boolean);
  const type = form.querySelector('select[name="type"]').value;
  let findings;
  try {
    ({ findings } = await postJSON(box.dataset.check, { type, codes }));
  } catch {
    return; // the check is a help while typing; the server checks again on save
  }
  box.querySelector('ul').replaceChildren(...findings.map((finding) => {
    const line = document.createElement('li');
    const pair = document.createElement('strong');
    pair.textContent = `${finding.a_name} — ${finding.b_name}${finding.current ? ` (${box.dataset.current})` : ''}: `;
    line.append(pair, finding.advice);
    if (finding.blocking) line.append(` — ${box.dataset.blocking}`);
    line.className = finding.blocking ? 'blocking' : '';
    return line;
  }));
  box.hidden = findings.length === 0;
  setAsidePairs(findings);
}

// What the field's output says of the item picked: its English name (marked Latin) and the most
// that may be prescribed.
function describeChosen(output, item, atMost) {
  if (!output) return;
  if (!item) { output.replaceChildren(); return; }
  const latin = document.createElement('bdi');
  latin.dir = 'ltr';
  latin.textContent = item.generic_name;
  const most = atMost.replace('%(n)s', localDigits(item.max_quantity)).replace('%(unit)s', item.unit);
  output.replaceChildren(latin, ` — ${most}`);
}

function itemSearch(form) {
  const type = form.querySelector('select[name="type"]');
  const known = new Map(); // an item by its name and by its code
  const recheck = debounce(() => checkFindings(form), 100);
  for (const input of itemFields(form)) {
    const list = document.getElementById(input.getAttribute('list'));
    const output = document.getElementById(`${input.id}-name`);
    let controller = null;
    const rendered = { text: input.value.trim(), code: input.dataset.code || '' }; // as sent back
    const choose = () => {
      const typed = input.value.trim();
      const item = known.get(typed) || known.get(typed.toUpperCase());
      const before = input.dataset.code || '';
      const code = item ? item.code : (typed === rendered.text ? rendered.code : '');
      if (code) input.dataset.code = code;
      else delete input.dataset.code;
      if (item || !code) describeChosen(output, item, form.dataset.atMost);
      if (code !== before) recheck();
    };
    const lookUp = debounce(async () => {
      const query = input.value.trim();
      if (query.length < 2 || known.has(query)) return;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const params = new URLSearchParams({ q: query, kind: type.value });
        const response = await fetch(`${form.dataset.search}?${params}`, {
          credentials: 'same-origin', signal: controller.signal, headers: { Accept: 'application/json' },
        });
        if (!response.ok) return;
        const { items } = await response.json();
        list.replaceChildren(...items.map((item) => {
          known.set(item.name, item);
          known.set(item.code, item);
          const option = document.createElement('option');
          option.value = item.name; // what picking it puts in the field: the name, not the code
          option.label = item.generic_name;
          return option;
        }));
        choose();
      } catch (failure) {
        if (failure.name !== 'AbortError') throw failure;
      }
    }, 150);
    input.addEventListener('input', () => { choose(); lookUp(); });
    input.addEventListener('change', choose);
    if (input.value.trim() && !input.dataset.code) lookUp(); // typed before the script ran
  }
  if (itemFields(form).some((input) => input.dataset.code)) {
    checkFindings(form); // started from a favourite, or sent back: its pairs at once
  }
  type.addEventListener('change', () => {
    for (const list of form.querySelectorAll('datalist[id$="-list"]')) list.replaceChildren();
  });
}

// When saving was stopped for want of a reason: the first reason still empty.
function focusReason() {
  if (!document.getElementById('answer') || document.querySelector('[aria-invalid="true"]')) return;
  const reasons = [...document.querySelectorAll('.pairs input[type="text"]')];
  const reason = reasons.find((input) => !input.value.trim()) || reasons[0];
  if (reason) reason.focus();
}

function printButton() {
  const button = document.getElementById('print');
  if (button) button.addEventListener('click', () => window.print());
}

const form = document.getElementById('prescription');
if (form) itemSearch(form);
focusReason();
printButton();
