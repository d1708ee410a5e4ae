// Home: my card, with the time it was checked; offline, the last answer, marked as such.
import { api, OfflineError } from '../api.js';
import { h, icon } from '../dom.js';
import { jalaliDateTime, t } from '../i18n.js';
import * as store from '../store.js';
import { eligibilityCard } from './card.js';
import { cardBlock } from './card-qr.js';
import { failure } from './sign-in.js';

/** Fetch an answer, keep it for offline use; offline, the kept one. */
export async function fetchKept(app, url, kind) {
  const person = app.state.me.national_code;
  try {
    const data = await api.get(url);
    await store.keep(person, kind, data);
    app.setOffline(false);
    return { data, at: new Date().toISOString(), offline: false };
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    app.setOffline(true);
    const kept = await store.recall(person, kind);
    return kept ? { ...kept, offline: true } : { offline: true };
  }
}

export function checkedLine(result) {
  const when = jalaliDateTime(result.at);
  if (result.offline) return h('p', { class: 'checked offline' }, icon('offline'), t('Last checked {time} — you are offline.', { time: when }));
  return h('p', { class: 'checked' }, t('Last checked: {time}', { time: when }));
}

export async function home(app) {
  const section = h('section', { class: 'screen home' }, h('h2', {}, t('My eligibility')));
  let result;
  try {
    result = await fetchKept(app, '/api/eligibility', 'me');
  } catch (error) {
    section.append(h('p', { class: 'error', role: 'alert' }, failure(error)));
    return section;
  }
  if (!result.data) {
    section.append(h('p', { class: 'error', role: 'alert' }, t('You are offline and nothing has been checked on this phone yet.')));
    return section;
  }
  const answer = result.data;
  section.append(
    h('p', { class: 'greeting' }, t('Hello, {name}', { name: answer.name })),
    eligibilityCard(app, answer),
    checkedLine(result),
    h('button', { class: 'secondary refresh', type: 'button', onclick: () => app.refresh() }, icon('refresh'), t('Check again')),
    cardBlock(app, result),
    h('p', { class: 'small' }, answer.as_of_note),
    h('p', { class: 'small' }, h('a', { href: '#/help' }, answer.objection)),
  );
  app.announce(answer.label);
  return section;
}
