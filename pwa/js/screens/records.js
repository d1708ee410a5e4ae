// The health record: a timeline of prescriptions and orders grouped by Jalali month, filtered by
// type, a page at a time; for a main insured, a minor child's record too; at its top, what SSO
// and the person paid for their care this Jalali year.
import { api } from '../api.js';
import { data, h, icon } from '../dom.js';
import { digits, jalaliDate, t } from '../i18n.js';
import { checkedLine, fetchKept } from './home.js';
import { allergiesSection } from './records-allergies.js';
import {
  amount, failed, fetchKeptRecord, jalaliMonth, nothingKept, recordHeading, sentence, TYPES, typeTag,
  whose, whoseQuery,
} from './records-common.js';

/** Children under 18 with a national code on my family, whose records I may read. */
async function minors(app) {
  if (!app.state.me.main_insured) return [];
  try {
    const result = await fetchKept(app, '/api/family', 'family');
    const members = (result.data && result.data.members) || [];
    return members.filter((m) => m.relation === 'child' && m.national_code && m.age !== null && m.age < 18);
  } catch {
    return []; // the family is not needed to show my own record
  }
}

function whoseChoice(app, children) {
  if (!children.length) return null;
  const current = whose(app);
  const select = h('select', { id: 'whose', onchange: () => {
    const child = children.find((c) => c.national_code === select.value);
    app.state.recordsOf = child ? { national_code: child.national_code, name: child.name } : null;
    app.render();
  } },
  h('option', { value: '', selected: !current }, t('Mine')),
  ...children.map((c) => h('option', {
    value: c.national_code, selected: Boolean(current && current.national_code === c.national_code),
  }, c.name)));
  return h('div', { class: 'field' }, h('label', { for: 'whose' }, t('Whose record')), select);
}

function typeFilter(app) {
  const chosen = app.state.recordsType || '';
  const choose = (type) => () => {
    app.state.recordsType = type;
    app.render();
  };
  const chip = (type, label) => h('button', {
    type: 'button', class: 'chip', 'aria-pressed': String(chosen === type), onclick: choose(type),
  }, type && icon(type), label);
  return h('div', { class: 'chips', role: 'group', 'aria-label': t('Type of record') },
    chip('', t('All')), ...Object.entries(TYPES).map(([type, label]) => chip(type, label())));
}

function recordLine(record) {
  const names = record.items.flatMap((item, i) => (i ? [t(', '), data(item.name)] : [data(item.name)]));
  return h('li', {},
    h('a', { class: 'record', href: `#/records/${record.id}` },
      h('span', { class: 'record-head' }, typeTag(record.type), h('span', { class: `badge status-${record.status}` }, record.status_label)),
      h('strong', { class: 'record-items' }, names),
      h('span', { class: 'small' }, t('{kind}: {name}', { kind: record.provider.kind_label, name: record.provider.name })),
      h('span', { class: 'small' }, jalaliDate(record.written_on)),
      record.next_part_on && h('span', { class: 'small' }, t('Next part from {date}', { date: jalaliDate(record.next_part_on) }))));
}

/** The records under a heading per Jalali month, newest first. */
export function timeline(records) {
  const months = [];
  for (const record of records) {
    const month = jalaliMonth(record.written_on);
    if (!months.length || months[months.length - 1].month !== month) months.push({ month, records: [] });
    months[months.length - 1].records.push(record);
  }
  return months.map(({ month, records: inMonth }) => h('section', { class: 'month' },
    h('h3', {}, month), h('ol', { class: 'timeline' }, ...inMonth.map(recordLine))));
}

function moreButton(app, kind, result, list) {
  if (!result.data.next_cursor || result.offline) return null;
  const button = h('button', { class: 'secondary wide', type: 'button' }, t('Show more'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const more = await fetchKeptRecord(app, kind, async () => {
        const page = await api.get(`${recordsUrl(app)}&cursor=${encodeURIComponent(result.data.next_cursor)}`);
        return { ...result.data, records: [...result.data.records, ...page.records], next_cursor: page.next_cursor };
      });
      if (more.offline) throw new Error('offline');
      result.data = more.data;
      list.replaceChildren(...timeline(more.data.records));
      button.replaceWith(moreButton(app, kind, more, list) || '');
      app.announce(t('{n} records', { n: digits(more.data.records.length) }));
    } catch (error) {
      button.replaceWith(failed(app, error));
    }
  });
  return button;
}

/** One calm line: what SSO paid this Jalali year for the care of the person whose record it is,
 *  and their own share; nothing when both are 0 (or in an answer kept before it was told). */
function paidThisYear(app, paid) {
  if (!paid || (!paid.sso_share && !paid.patient_share)) return null;
  const child = whose(app);
  let text;
  if (child) {
    text = paid.patient_share
      ? t('In {year}, SSO has paid {sso} of the cost of {name}’s care, and their share was {mine}.')
      : t('In {year}, SSO has paid {sso} of the cost of {name}’s care.');
  } else {
    text = paid.patient_share
      ? t('In {year}, SSO has paid {sso} of the cost of your care, and your share was {mine}.')
      : t('In {year}, SSO has paid {sso} of the cost of your care.');
  }
  return h('p', { class: 'paid-this-year' }, sentence(text, {
    year: digits(paid.year), sso: amount(paid.sso_share), mine: amount(paid.patient_share),
    name: child && data(child.name),
  }));
}

function recordsUrl(app) {
  const type = app.state.recordsType;
  return `/api/records?limit=20${type ? `&type=${type}` : ''}${whoseQuery(app, '&')}`;
}

export async function records(app) {
  const children = await minors(app);
  if (whose(app) && !children.some((c) => c.national_code === whose(app).national_code)) app.state.recordsOf = null;
  const heading = recordHeading(app, t('My health record'), (name) => t('Health record of {name}', { name }));
  const kind = `list:${app.state.recordsType || 'all'}`;
  let result;
  try {
    result = await fetchKeptRecord(app, kind, () => api.get(recordsUrl(app)));
  } catch (error) {
    return h('section', { class: 'screen records' }, heading, failed(app, error)); // nothing more
  }
  const section = h('section', { class: 'screen records' },
    heading,
    whoseChoice(app, children),
    result.data && paidThisYear(app, result.data.paid_this_year),
    whose(app) ? null : await allergiesSection(app),
    h('nav', { class: 'record-links', 'aria-label': t('In the record') },
      h('a', { class: 'button secondary', href: '#/medicines' }, icon('drug'),
        whose(app) ? t('Current medicines') : t('My current medicines')),
      h('a', { class: 'button secondary', href: '#/access-log' }, icon('access-log'),
        whose(app) ? t('Who saw the record') : t('Who saw my record'))),
    typeFilter(app));
  if (!result.data) {
    section.append(nothingKept());
    return section;
  }
  const list = h('div', { class: 'months' }, ...timeline(result.data.records));
  if (!result.data.records.length) {
    list.append(h('p', { class: 'info' }, app.state.recordsType ? t('No records of this type.') : t('Nothing has been written in this record yet.')));
  }
  section.append(list, moreButton(app, kind, result, list) || '', checkedLine(result));
  return section;
}
