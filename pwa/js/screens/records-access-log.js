// Who saw my record: every read of it — by me, a parent, a doctor, a centre or SSO staff (who open
// my objection in their console, named by role) — newest first, with Jalali times. Others' reads
// are shown first of all (my own views behind a switch); beside a provider's, «I do not recognise
// this visit — report it» opens an objection.
import { api } from '../api.js';
import { data, h, rich } from '../dom.js';
import { jalaliDateTime, t } from '../i18n.js';
import { checkedLine } from './home.js';
import { failed, fetchKeptRecord, nothingKept, recordHeading, whoseQuery } from './records-common.js';

/** What the reader opened. */
function what(read) {
  if (read.opened === 'objection') return t('Opened your objection to review it');
  if (read.opened === 'attachment') return t('Opened the file attached to your objection');
  if (read.opened === 'document') return t('Opened the document sent from the app, to review it');
  return read.record_id ? t('Opened a prescription') : t('Looked at the list of records');
}

function entry(read) {
  return h('li', { class: `read read-${read.kind}` },
    h('span', { class: 'read-who' }, h('strong', {}, data(read.who)), ' ', h('span', { class: 'badge' }, read.kind_label)),
    h('span', {}, what(read)),
    h('span', { class: 'small' }, jalaliDateTime(read.at)),
    read.kind === 'provider' && read.id && h('a', {
      class: 'not-me', href: `#/objection?subject=unknown_record&record_access_id=${encodeURIComponent(read.id)}`,
    }, t('I do not recognise this visit — report it')));
}

/** The reads shown: providers' and staff's only, unless the switch shows mine and my family's too. */
function shown(app, entries) {
  return app.state.accessLogAll ? entries : entries.filter((read) => read.kind === 'provider' || read.kind === 'staff');
}

function ownViewsSwitch(app) {
  const input = h('input', { type: 'checkbox', role: 'switch', id: 'own-views', checked: Boolean(app.state.accessLogAll) });
  input.addEventListener('change', () => {
    app.state.accessLogAll = input.checked;
    app.render();
  });
  return h('label', { class: 'choice switch access-switch', for: 'own-views' }, input, t('Show my own and my family’s views too'));
}

function moreButton(app, result, list) {
  if (!result.data.next_cursor || result.offline) return null;
  const button = h('button', { class: 'secondary wide', type: 'button' }, t('Show more'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const more = await fetchKeptRecord(app, 'access-log', async () => {
        const page = await api.get(`/api/records/access-log?cursor=${encodeURIComponent(result.data.next_cursor)}${whoseQuery(app, '&')}`);
        return { entries: [...result.data.entries, ...page.entries], next_cursor: page.next_cursor };
      });
      if (more.offline) throw new Error('offline');
      result.data = more.data;
      list.replaceChildren(...shown(app, more.data.entries).map(entry));
      button.replaceWith(moreButton(app, more, list) || '');
    } catch (error) {
      button.replaceWith(failed(app, error));
    }
  });
  return button;
}

export async function accessLog(app) {
  const section = h('section', { class: 'screen access-log' },
    h('p', { class: 'small' }, h('a', { href: '#/records' }, t('Back to the record'))),
    recordHeading(app, t('Who saw my record'), (name) => t("Who saw {name}'s record", { name })),
    h('p', { class: 'small' }, t('Every time a doctor, a centre or SSO staff opened the record.')));
  let result;
  try {
    result = await fetchKeptRecord(app, 'access-log', () => api.get(`/api/records/access-log${whoseQuery(app)}`));
  } catch (error) {
    section.append(failed(app, error));
    return section;
  }
  if (!result.data) {
    section.append(nothingKept());
    return section;
  }
  const entries = shown(app, result.data.entries);
  const list = h('ol', { class: 'list reads' }, ...entries.map(entry));
  section.append(ownViewsSwitch(app), list,
    entries.length ? '' : h('p', { class: 'info' }, t('No doctor or centre has opened the record yet.')),
    moreButton(app, result, list) || '',
    h('p', { class: 'info' }, rich(t('If you do not recognise a doctor or centre here, call 1420.'))),
    checkedLine(result));
  return section;
}
