// Prescribing: search the catalogue as the doctor types (the list under each item field), name the
// item chosen beside its field, focus the first reason asked for, and print a delivery receipt.
import { postJSON } from '/web/post-json.js';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const localDigits = (text) => (document.documentElement.lang === 'fa'
  ? String(text).replace(/[0-9]/g, (digit) => PERSIAN[digit]) : String(text));

function debounce(run, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => run(...args), ms); };
}

// Ask which of the chosen items interact (with each other or the patient's current medicines).
async function checkFindings(form) {
  const box = document.getElementById('live-findings');
  if (!box) return;
  const codes = [...form.querySelectorAll('input[list$="-list"]')]
    .map((input) => input.value.trim().toUpperCase()).filter(Boolean);
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
}

function itemSearch(form) {
  const type = form.querySelector('select[name="type"]');
  const atMost = form.dataset.atMost;
  const known = new Map();
  for (const input of form.querySelectorAll('input[list$="-list"]')) {
    const list = document.getElementById(input.getAttribute('list'));
    const output = document.getElementById(`${input.id}-name`);
    let controller = null;
    let checked = '';
    const showChosen = () => {
      const item = known.get(input.value.trim().toUpperCase());
      if (item && output) {
        output.textContent = `${item.name} — ${atMost.replace('%(n)s', localDigits(item.max_quantity)).replace('%(unit)s', item.unit)}`;
      }
      if (item && checked !== item.code) {
        checked = item.code;
        checkFindings(form);
      }
    };
    const lookUp = debounce(async () => {
      const query = input.value.trim();
      if (query.length < 2 || known.has(query.toUpperCase())) { showChosen(); return; }
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
          known.set(item.code, item);
          const option = document.createElement('option');
          option.value = item.code;
          option.label = `${item.name} — ${item.generic_name}`;
          return option;
        }));
        showChosen();
      } catch (failure) {
        if (failure.name !== 'AbortError') throw failure;
      }
    }, 150);
    input.addEventListener('input', lookUp);
    input.addEventListener('change', showChosen);
  }
  if ([...form.querySelectorAll('input[list$="-list"]')].some((input) => input.value.trim())) {
    checkFindings(form); // started from a favourite: its pairs at once
  }
  type.addEventListener('change', () => {
    for (const list of form.querySelectorAll('datalist[id$="-list"]')) list.replaceChildren();
  });
}

function focusReason() {
  const reason = document.querySelector('.pairs input[type="text"]');
  if (reason && !document.querySelector('[aria-invalid="true"]')) reason.focus();
}

function printButton() {
  const button = document.getElementById('print');
  if (button) button.addEventListener('click', () => window.print());
}

const form = document.getElementById('prescription');
if (form) itemSearch(form);
focusReason();
printButton();
