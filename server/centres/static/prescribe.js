// Prescribing: search the catalogue as the doctor types (the list under each item field), name the
// item chosen beside its field, focus the first reason asked for, and print a delivery receipt.

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const localDigits = (text) => (document.documentElement.lang === 'fa'
  ? String(text).replace(/[0-9]/g, (digit) => PERSIAN[digit]) : String(text));

function debounce(run, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => run(...args), ms); };
}

function itemSearch(form) {
  const type = form.querySelector('select[name="type"]');
  const atMost = form.dataset.atMost;
  const known = new Map();
  for (const input of form.querySelectorAll('input[list$="-list"]')) {
    const list = document.getElementById(input.getAttribute('list'));
    const output = document.getElementById(`${input.id}-name`);
    let controller = null;
    const showChosen = () => {
      const item = known.get(input.value.trim().toUpperCase());
      if (item && output) {
        output.textContent = `${item.name} — ${atMost.replace('%(n)s', localDigits(item.max_quantity)).replace('%(unit)s', item.unit)}`;
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
