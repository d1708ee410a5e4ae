// Documents without a trip to a branch: a student certificate or a disability decision, sent
// for a family member (or oneself) as a photo or PDF, reviewed by SSO's insurance staff; and
// the list of those sent, with their status and, when not accepted, why. Sending needs a
// connection: offline, the screen says so plainly instead of failing.
import { api } from '../api.js';
import { offline, pending } from '../busy.js';
import { data, fileChoice, h } from '../dom.js';
import { jalaliDate, jalaliDateTime, t } from '../i18n.js';
import { fetchKept } from './home.js';
import { failure } from './sign-in.js';

const MAX_BYTES = 5 * 1024 * 1024;
const KINDS = {
  student_certificate: () => t('University enrolment certificate'),
  disability: () => t('Disability decision'),
};
const STATUSES = {
  pending: () => t('Waiting for review'),
  accepted: () => t('Accepted'),
  refused: () => t('Not accepted'),
};
const NEEDS_NETWORK = () => t('Sending a document needs an internet connection. This phone is offline: connect, then send it.');

function query() {
  const [, text = ''] = location.hash.split('?');
  return new URLSearchParams(text);
}

/** The member's name, from the family list this phone keeps (none for oneself). */
async function memberName(app, memberId) {
  if (!memberId) return null;
  try {
    const kept = await fetchKept(app, '/api/family', 'family');
    const member = kept.data && kept.data.members.find((m) => m.member_id === memberId);
    return member ? member.name : null;
  } catch {
    return null;
  }
}

function kindChoices(chosen) {
  return h('fieldset', {},
    h('legend', {}, t('Which document?')),
    ...Object.entries(KINDS).map(([value, label]) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'kind', value, checked: value === chosen, required: true }), label())));
}

function fields(kind) {
  return [
    h('div', { class: 'field', id: 'document-university', hidden: kind !== 'student_certificate' },
      h('label', { for: 'document-university-input' }, t('University')),
      h('input', { id: 'document-university-input', name: 'university', maxlength: '120', autocomplete: 'organization' })),
    h('div', { class: 'field' },
      h('label', { for: 'document-until' }, t('Valid until (as written on the document, optional)')),
      // Jalali, as the document writes it (the browser's date picker knows only the Gregorian
      // calendar); the server reads Persian or Latin digits
      h('input', { id: 'document-until', name: 'valid_until', inputmode: 'numeric', dir: 'ltr', autocomplete: 'off', maxlength: '20', 'aria-describedby': 'document-until-hint' }),
      h('p', { class: 'hint', id: 'document-until-hint' }, t('Year/month/day, for example 1405/09/16'))),
    h('div', { class: 'field' },
      h('label', { for: 'document-file' }, t('A photo or PDF of the document')),
      fileChoice(h('input', { id: 'document-file', name: 'file', type: 'file', accept: 'image/jpeg,image/png,application/pdf', required: true, 'aria-describedby': 'document-file-hint' }),
        t('Choose a file'), t('No file chosen')),
      h('p', { class: 'hint', id: 'document-file-hint' }, t('JPEG, PNG or PDF, up to 5 MB.'))),
    h('div', { class: 'field' },
      h('label', { for: 'document-note' }, t('A note for the reviewer (optional)')),
      h('textarea', { id: 'document-note', name: 'note', rows: '3', maxlength: '1000' })),
  ];
}

/** What the form sends: empty optional fields left out, the member only when there is one. */
function formData(form, memberId) {
  const sent = new FormData(form);
  for (const name of ['university', 'valid_until', 'note']) if (!sent.get(name)) sent.delete(name);
  if (sent.get('kind') !== 'student_certificate') sent.delete('university');
  if (memberId) sent.set('member_id', memberId);
  return sent;
}

function sentCard(sent) {
  return h('div', { class: 'card covered', role: 'status' },
    h('p', {}, t('Tracking number: {code}', { code: sent.tracking_number })),
    h('p', {}, t('SSO staff will review it. You will get a notice here when it is accepted or not.')));
}

/** `#/document?member=p12&kind=…`: send a document. */
export async function sendDocument(app) {
  const params = query();
  const memberId = /^p\d+$/.test(params.get('member') || '') ? params.get('member') : null;
  const kind = KINDS[params.get('kind')] ? params.get('kind') : 'student_certificate';
  const name = await memberName(app, memberId);
  const error = h('p', { class: 'error', role: 'alert' });
  const network = h('p', { class: 'info', role: 'status', hidden: !offline() }, NEEDS_NETWORK());
  const form = h('form', { class: 'document-form', novalidate: true },
    kindChoices(kind), ...fields(kind), error,
    h('button', { class: 'primary', type: 'submit' }, t('Send the document')));
  const section = h('section', { class: 'screen document' },
    h('h2', {}, name ? t('Send a document for {name}', { name }) : t('Send a document')),
    h('p', { class: 'small' }, t('No need to go to a branch: SSO staff review it in the app.')),
    network, form,
    h('p', {}, h('a', { href: '#/documents' }, t('Documents sent'))));
  const online = () => { network.hidden = !offline(); };
  window.addEventListener('online', online);
  window.addEventListener('offline', online);
  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind') form.querySelector('#document-university').hidden = event.target.value !== 'student_certificate';
  });
  const button = form.querySelector('button[type="submit"]');
  const sendIt = async () => {
    error.textContent = '';
    const file = form.file.files[0];
    if (offline()) error.textContent = NEEDS_NETWORK();
    else if (!file) error.textContent = t('Please choose the photo or PDF of the document.');
    else if (file.size > MAX_BYTES) error.textContent = t('The file is larger than 5 MB.');
    if (error.textContent) return;
    try {
      const sent = await api.postForm('/api/documents', formData(form, memberId));
      section.replaceChildren(h('h2', {}, t('Your document was sent')), sentCard(sent),
        h('a', { class: 'button secondary', href: '#/documents' }, t('Documents sent')));
      app.announce(t('Your document was sent'));
    } catch (problem) {
      error.textContent = failure(problem);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pending(button, sendIt, t('Sending…'));
  });
  return section;
}

function item(row) {
  return h('li', { class: `card document-${row.status}` },
    h('p', {}, h('strong', {}, KINDS[row.kind]()), ' — ', data(row.name)),
    h('p', {}, h('span', { class: 'badge' }, STATUSES[row.status]())),
    row.university && h('p', { class: 'small' }, data(row.university)),
    row.valid_until && h('p', { class: 'small' }, t('Valid until {date}', { date: jalaliDate(row.valid_until) })),
    h('p', { class: 'small' }, t('Tracking number: {code}', { code: row.tracking_number }), ' · ', jalaliDateTime(row.at)),
    row.reason && h('div', {}, h('h3', {}, t('Why it was not accepted')), h('p', { class: 'answer' }, row.reason)));
}

/** `#/documents`: the documents I sent. */
export async function documents() {
  const section = h('section', { class: 'screen documents' }, h('h2', {}, t('Documents sent')));
  try {
    const { documents: rows } = await api.get('/api/documents');
    section.append(rows.length
      ? h('ol', { class: 'document-list' }, ...rows.map(item))
      : h('p', {}, t('You have not sent a document.')));
  } catch (problem) {
    section.append(h('p', { class: 'error', role: 'alert' }, failure(problem)));
  }
  section.append(h('a', { class: 'button secondary', href: '#/document' }, t('Send a document')));
  return section;
}
