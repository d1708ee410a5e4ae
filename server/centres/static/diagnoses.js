// Coded diagnoses on a new prescription: as the doctor types in the search field, the ICD-10
// entries whose code or title match are listed as buttons; picking one adds its code to the
// diagnoses field, whose codes are named under it. Only the search term goes in the address.
const box = document.querySelector('.diagnoses[data-search]');

function debounce(run, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => run(...args), ms); };
}

async function find(query, signal) {
  const params = new URLSearchParams({ q: query });
  const response = await fetch(`${box.dataset.search}?${params}`, {
    credentials: 'same-origin', signal, headers: { Accept: 'application/json' },
  });
  if (!response.ok) return [];
  return (await response.json()).diagnoses;
}

function setUp() {
  const field = box.querySelector('input[name="diagnoses"]');
  const search = document.getElementById('diagnosis-search');
  const matches = document.getElementById('diagnosis-matches');
  const titles = document.getElementById(`${field.id}-titles`);
  const known = new Map(); // a code's title, from what was found
  const codes = () => field.value.split(/[\s,،;؛]+/).filter(Boolean);
  const name = () => {
    titles.textContent = codes().map((code) => (known.has(code) ? `${code} ${known.get(code)}` : code)).join(' · ');
  };
  let controller = null;
  const lookUp = debounce(async () => {
    const query = search.value.trim();
    if (query.length < 2) { matches.replaceChildren(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    let found;
    try { found = await find(query, controller.signal); } catch { return; }
    matches.replaceChildren(...found.map((entry) => {
      known.set(entry.code, entry.title);
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dir = 'ltr';
      button.textContent = `${entry.code} — ${entry.title}`;
      button.addEventListener('click', () => {
        if (!codes().includes(entry.code)) field.value = [...codes(), entry.code].join(', ');
        matches.replaceChildren();
        search.value = '';
        name();
        search.focus();
      });
      item.append(button);
      return item;
    }));
  }, 150);
  document.getElementById('diagnosis-finder').hidden = false;
  search.addEventListener('input', lookUp);
  // Enter in the search picks the first match instead of saving the prescription.
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const first = matches.querySelector('button');
    if (first) first.click();
  });
  field.addEventListener('input', name);
  name();
}

if (box) setUp();
