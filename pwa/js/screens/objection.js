// Objections (1420) in the app: the form (my cover, a dependant's, a record I don't recognise,
// someone used my code) with an optional photo or PDF, and the list of mine with their answers.
// 1420 stays beside the form: the phone is still a way to object.
import { api } from '../api.js';
import { pending } from '../busy.js';
import { fileChoice, h } from '../dom.js';
import { jalaliDateTime, latinDigits, t } from '../i18n.js';
import { failure } from './sign-in.js';

const MAX_BYTES = 5 * 1024 * 1024;
const SUBJECTS = {
  cover: () => t('My cover'),
  dependant_cover: () => t("A dependant's cover"),
  unknown_record: () => t("A record I don't recognise"),
  misuse: () => t('Someone used my national code'),
};
const STATUSES = {
  received: () => t('Received'),
  in_review: () => t('In review'),
  answered: () => t('Answered'),
};

/** The query of `#/objection?subject=…&national_code=…&record_access_id=…`. */
function query() {
  const [, text = ''] = location.hash.split('?');
  return new URLSearchParams(text);
}

/** The seed's sentence, its Latin address isolated so that it reads left to right in Persian. */
function seedSentence() {
  const site = '1420.tamin.ir';
  const [before, after = ''] = t('If you disagree with your eligibility status, call 1420 or visit 1420.tamin.ir.').split(site);
  return h('p', {}, before, h('bdi', { dir: 'ltr' }, site), after);
}

function phoneRoute() {
  return h('aside', { class: 'info', 'aria-label': t('By phone') },
    seedSentence(),
    h('a', { class: 'button secondary', href: 'tel:1420' }, t('Call 1420')));
}

function subjectChoices(chosen) {
  return h('fieldset', {},
    h('legend', {}, t('What is it about?')),
    ...Object.entries(SUBJECTS).map(([value, label]) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'subject', value, checked: value === chosen, required: true }), label())));
}

async function send(form) {
  const data = new FormData(form);
  if (!data.get('national_code')) data.delete('national_code');
  else data.set('national_code', latinDigits(data.get('national_code')));
  if (!data.get('record_access_id')) data.delete('record_access_id');
  const file = data.get('attachment');
  if (!file || !file.size) data.delete('attachment');
  return api.postForm('/api/objections', data);
}

export function objection(app) {
  const params = query();
  const subject = SUBJECTS[params.get('subject')] ? params.get('subject') : 'cover';
  const error = h('p', { class: 'error', role: 'alert' });
  const attachment = h('input', {
    id: 'objection-file', name: 'attachment', type: 'file', accept: 'image/jpeg,image/png,application/pdf',
    'aria-describedby': 'objection-file-hint',
  });
  const form = h('form', { class: 'objection-form', novalidate: true },
    subjectChoices(subject),
    h('div', { class: 'field', id: 'objection-dependant', hidden: subject !== 'dependant_cover' },
      h('label', { for: 'objection-code' }, t("The dependant's national code (for a dependant's cover)")),
      h('input', { id: 'objection-code', name: 'national_code', dir: 'ltr', inputmode: 'numeric', maxlength: '14', value: params.get('national_code') || '' })),
    h('input', { type: 'hidden', name: 'record_access_id', value: params.get('record_access_id') || '' }),
    h('div', { class: 'field' },
      h('label', { for: 'objection-text' }, t('Tell us what is wrong')),
      h('textarea', { id: 'objection-text', name: 'text', rows: '6', maxlength: '2000', required: true })),
    h('div', { class: 'field' },
      h('label', { for: 'objection-file' }, t('A photo or PDF (optional)')),
      fileChoice(attachment, t('Choose a file'), t('No file chosen')),
      h('p', { class: 'hint', id: 'objection-file-hint' }, t('JPEG, PNG or PDF, up to 5 MB.'))),
    error,
    h('button', { class: 'primary', type: 'submit' }, t('Send the objection')));
  const section = h('section', { class: 'screen objection' },
    h('h2', {}, t('Objection to my eligibility status')), phoneRoute(), form,
    h('p', {}, h('a', { href: '#/objections' }, t('My objections'))));
  form.addEventListener('change', (event) => { // the dependant's code only for their cover
    if (event.target.name === 'subject') form.querySelector('#objection-dependant').hidden = event.target.value !== 'dependant_cover';
  });
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pending(button, () => fileIt(), t('Sending…'));
  });
  const fileIt = async () => {
    error.textContent = '';
    if (!form.text.value.trim()) {
      error.textContent = t('Please write what is wrong.');
      form.text.focus();
      return;
    }
    if (attachment.files[0] && attachment.files[0].size > MAX_BYTES) {
      error.textContent = t('The file is larger than 5 MB.');
      attachment.focus();
      return;
    }
    try {
      const filed = await send(form);
      section.replaceChildren(
        h('h2', {}, t('Your objection was received')),
        h('div', { class: 'card covered', role: 'status' },
          h('p', {}, t('Tracking number: {code}', { code: filed.tracking_number })),
          h('p', {}, t('You will get a notice here when it is answered.'))),
        h('a', { class: 'button secondary', href: '#/objections' }, t('My objections')), phoneRoute());
      app.announce(t('Your objection was received'));
    } catch (problem) {
      error.textContent = failure(problem);
    }
  };
  return section;
}

function item(row) {
  return h('li', { class: `card objection-${row.status}` },
    h('p', {}, h('strong', {}, SUBJECTS[row.subject] ? SUBJECTS[row.subject]() : row.subject), ' — ',
      h('span', { class: 'badge' }, STATUSES[row.status]())),
    h('p', { class: 'small' }, t('Tracking number: {code}', { code: row.tracking_number }), ' · ', jalaliDateTime(row.at)),
    row.answer ? h('div', {}, h('h3', {}, t('Answer')), h('p', { class: 'answer' }, row.answer)) : null);
}

export async function objections() {
  const section = h('section', { class: 'screen objections' }, h('h2', {}, t('My objections')));
  try {
    const { objections: rows } = await api.get('/api/objections');
    section.append(rows.length
      ? h('ol', { class: 'objection-list' }, ...rows.map(item))
      : h('p', {}, t('You have not sent an objection.')));
  } catch (problem) {
    section.append(h('p', { class: 'error', role: 'alert' }, failure(problem)));
  }
  section.append(h('a', { class: 'button secondary', href: '#/objection' }, t('New objection')), phoneRoute());
  return section;
}
