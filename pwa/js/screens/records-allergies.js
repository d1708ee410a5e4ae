// My recorded drug allergies, at the top of my own record: what, the reaction, who recorded it
// and when; each can be disputed (an objection SSO's staff answer), and one disputed says so.
import { api } from '../api.js';
import { data, h } from '../dom.js';
import { jalaliDateTime, t } from '../i18n.js';
import { fetchKeptRecord, sentence } from './records-common.js';
import { failure } from './sign-in.js';

const SEVERITY = { mild: () => t('Mild'), moderate: () => t('Moderate'), severe: () => t('Severe') };

function disputeForm(app, allergy) {
  const text = h('textarea', { id: `dispute-${allergy.id}`, required: true, minlength: 5, maxlength: 1000, rows: 3 });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'dispute', hidden: true },
    h('div', { class: 'field' }, h('label', { for: text.id }, t('Why is this allergy wrong?')), text),
    error,
    h('button', { type: 'submit' }, t('Send the objection')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const filed = await api.post(`/api/records/allergies/${allergy.id}/dispute`, { text: text.value });
      app.announce(t('Your objection was filed. Tracking number: {number}', { number: filed.tracking_number }));
      app.render();
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
    }
  });
  return form;
}

function allergyLine(app, allergy) {
  const line = h('li', { class: 'allergy' },
    h('strong', {}, h('bdi', { class: 'data', dir: 'ltr' }, allergy.ingredient)),
    h('p', { class: 'small' }, t('{label}: {text}', { label: t('Reaction'), text: allergy.reaction })),
    h('p', { class: 'small' }, t('{label}: {text}', { label: t('Severity'), text: SEVERITY[allergy.severity]() })),
    h('p', { class: 'small' }, sentence(t('Recorded by {who} on {when}'), {
      who: data(allergy.recorded_by), when: jalaliDateTime(allergy.recorded_at),
    })));
  if (allergy.status === 'disputed') {
    line.append(h('p', { class: 'badge' }, t('You disputed it; SSO’s staff will answer.')));
    return line;
  }
  const form = disputeForm(app, allergy);
  const open = h('button', { type: 'button', class: 'secondary' }, t('This is wrong'));
  open.addEventListener('click', () => { form.hidden = false; open.hidden = true; form.querySelector('textarea').focus(); });
  line.append(open, form);
  return line;
}

/** The section of my allergies; nothing when none is recorded (or the answer failed). */
export async function allergiesSection(app) {
  let result;
  try {
    result = await fetchKeptRecord(app, 'allergies', () => api.get('/api/records/allergies'));
  } catch {
    return null; // the record itself still shows; the allergies are asked again next time
  }
  const found = (result.data && result.data.allergies) || [];
  if (!found.length) return null;
  return h('section', { class: 'allergies', 'aria-labelledby': 'allergies-title' },
    h('h2', { id: 'allergies-title' }, t('My drug allergies')),
    h('ul', { class: 'list' }, ...found.map((allergy) => allergyLine(app, allergy))));
}
