// One record: who wrote it and when, until when it can be received, and each item with what was
// delivered of it — the API's sentence in plain words, where and when each delivery was, and
// what the person and SSO paid for it.
import { api } from '../api.js';
import { data, h } from '../dom.js';
import { digits, jalaliDate, jalaliDateTime, t } from '../i18n.js';
import { codeInGroups } from './card.js';
import { checkedLine } from './home.js';
import {
  amount, failed, fetchKeptRecord, nothingKept, sentence, typeTag,
} from './records-common.js';

/** A label and its value; the value moves under its label when the line is too narrow. */
function fact(term, value) {
  if (value === null || value === undefined || value === '') return [];
  return [h('div', {}, h('dt', {}, term), h('dd', {}, value))];
}

function delivery(entry) {
  return h('li', {},
    h('span', {}, t('{quantity} from {center} ({kind})', {
      quantity: digits(entry.quantity), center: entry.center, kind: entry.center_kind_label,
    })),
    h('span', { class: 'small' }, jalaliDateTime(entry.at)),
    shares(entry));
}

/** Who paid what for a delivery; nothing for one made before claims existed (null shares). */
function shares(entry) {
  if (entry.patient_share === null || entry.patient_share === undefined) return null;
  return h('span', { class: 'small shares' }, sentence(t('Your share: {mine} · SSO’s share: {sso}'), {
    mine: amount(entry.patient_share), sso: amount(entry.sso_share),
  }));
}

function item(entry) {
  const deliveries = entry.dispensing || [];
  return h('li', { class: `record-item status-${entry.status}` },
    h('strong', { class: 'item-name' }, data(entry.name)),
    entry.instructions && h('p', { class: 'small' }, t('{label}: {text}', { label: t('Instructions'), text: entry.instructions })),
    h('p', { class: 'small' }, t('{label}: {text}', { label: t('Quantity'), text: digits(entry.quantity) })),
    h('p', { class: 'item-status' }, entry.status_text),
    entry.cancelled && h('p', { class: 'small' }, t('{label}: {text}', { label: t('Why it was cancelled'), text: entry.cancelled.reason })),
    entry.obtain_at && h('p', { class: 'item-status outside' }, entry.obtain_at),
    deliveries.length > 0 && h('div', { class: 'deliveries' },
      h('p', { class: 'small' }, t('Where and when it was delivered:')),
      h('ul', { class: 'list' }, ...deliveries.map(delivery))));
}

/** Who cancelled it, when and why. */
function cancelled(cancellation) {
  if (!cancellation) return [];
  return [
    ...fact(t('Cancelled on'), jalaliDateTime(cancellation.at)),
    ...fact(t('Why it was cancelled'), data(cancellation.reason)),
  ];
}

/** Offline, a record that was still to be received may have been cancelled since: say so. */
function mayHaveChanged(result) {
  if (!result.offline || !['open', 'partial'].includes(result.data.status)) return null;
  return h('p', { class: 'checked offline stale', role: 'note' },
    t('Shown as kept on this phone: the doctor may have cancelled it since. The pharmacy checks online before delivering.'));
}

/** WHO ICD-10 codes with their titles (Latin, set apart); nothing for a record without any. */
function codedDiagnoses(coded) {
  if (!coded || !coded.length) return null;
  return h('ul', { class: 'diagnoses' }, ...coded.map((entry) => h('li', {},
    h('bdi', { class: 'data', dir: 'ltr' }, `${entry.code} ${entry.title}`))));
}

function describe(record) {
  return [
    h('h2', { class: 'record-title' }, typeTag(record.type), h('span', {}, record.type_label)),
    h('p', {}, h('span', { class: `badge status-${record.status}` }, record.status_label)),
    h('dl', { class: 'facts record-facts' },
      ...fact(record.provider.kind_label, data(record.provider.name)),
      ...fact(t('Written on'), jalaliDate(record.written_on)),
      ...fact(t('Last day to receive it'), record.receive_until ? jalaliDate(record.receive_until) : null),
      ...fact(t('Monthly parts'), record.parts > 1 ? digits(record.parts) : null),
      ...fact(t('Next part from'), record.next_part_on ? jalaliDate(record.next_part_on) : null),
      ...cancelled(record.cancelled),
      ...fact(t('Coded diagnoses'), codedDiagnoses(record.diagnoses)),
      ...fact(t('Diagnosis'), record.diagnosis && data(record.diagnosis)),
      ...fact(t('For the newborn born on'), record.newborn_birth_date ? jalaliDate(record.newborn_birth_date) : null),
      ...fact(t('Prescription code'), codeInGroups(record.code)),
      ...fact(t('Tracking code'), record.tracking_code ? codeInGroups(record.tracking_code) : null)),
    h('h3', {}, t('Items')),
    h('ul', { class: 'record-item-list' }, ...record.items.map(item)),
  ];
}

export async function recordDetail(app) {
  const id = location.hash.split('/')[2];
  const section = h('section', { class: 'screen record-detail' },
    h('p', { class: 'small' }, h('a', { href: '#/records' }, t('Back to the record'))));
  let result;
  try {
    result = await fetchKeptRecord(app, `record:${id}`, () => api.get(`/api/records/${encodeURIComponent(id)}`));
  } catch (error) {
    section.append(failed(app, error));
    return section;
  }
  if (!result.data) {
    section.append(nothingKept());
    return section;
  }
  section.append(...describe(result.data), checkedLine(result));
  const stale = mayHaveChanged(result);
  if (stale) section.append(stale);
  return section;
}
