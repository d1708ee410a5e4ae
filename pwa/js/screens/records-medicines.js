// My current medicines: the drug items of the prescriptions written in the last 60 days, each
// with what is left to receive, from the record's list.
import { api } from '../api.js';
import { data, h } from '../dom.js';
import { digits, jalaliDate, t } from '../i18n.js';
import { checkedLine } from './home.js';
import { failed, fetchKeptRecord, nothingKept, recordHeading, whoseQuery } from './records-common.js';

const DAYS = 60; // a prescription can be received for 60 days after it was written

/** The ISO date `DAYS` days before today, on this phone's calendar. */
function since() {
  const day = new Date();
  day.setDate(day.getDate() - DAYS);
  const pad = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The drug prescriptions written since `from`, page after page (newest first). */
async function drugRecordsSince(app, from) {
  const found = [];
  let cursor = null;
  do {
    const page = await api.get(`/api/records?type=drug&limit=50${whoseQuery(app, '&')}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const recent = page.records.filter((record) => record.written_on >= from);
    found.push(...recent);
    cursor = recent.length === page.records.length ? page.next_cursor : null;
  } while (cursor);
  return { records: found, since: from };
}

function medicine(record, entry) {
  return h('li', { class: `record-item status-${entry.status}` },
    h('strong', { class: 'item-name' }, data(entry.name)),
    entry.instructions && h('p', { class: 'small' }, t('{label}: {text}', { label: t('Instructions'), text: entry.instructions })),
    h('p', { class: 'item-status' }, entry.status_text),
    h('p', { class: 'small' },
      t('Prescribed by {name} on {date}', { name: record.provider.name, date: jalaliDate(record.written_on) }), ' — ',
      h('a', { href: `#/records/${record.id}` }, t('See the prescription'))));
}

export async function medicines(app) {
  const section = h('section', { class: 'screen medicines' },
    h('p', { class: 'small' }, h('a', { href: '#/records' }, t('Back to the record'))),
    recordHeading(app, t('My current medicines'), (name) => t('Current medicines of {name}', { name })),
    h('p', { class: 'small' }, t('Drugs prescribed in the last {n} days.', { n: digits(DAYS) })));
  let result;
  try {
    result = await fetchKeptRecord(app, 'medicines', () => drugRecordsSince(app, since()));
  } catch (error) {
    section.append(failed(app, error));
    return section;
  }
  if (!result.data) {
    section.append(nothingKept());
    return section;
  }
  const items = result.data.records.flatMap((record) => record.items
    .filter((entry) => entry.status !== 'cancelled') // the doctor stopped it: not a current medicine
    .map((entry) => medicine(record, entry)));
  section.append(
    items.length ? h('ul', { class: 'record-item-list' }, ...items) : h('p', { class: 'info' }, t('No drug has been prescribed in the last {n} days.', { n: digits(DAYS) })),
    checkedLine(result));
  return section;
}
