// Home: my card, with the time it was checked; offline, the last answer, marked as such.
import { api, OfflineError } from '../api.js';
import { actionButton, offline, waitForNetwork } from '../busy.js';
import { h, icon, rich } from '../dom.js';
import { jalaliDate, jalaliDateTime, t } from '../i18n.js';
import * as store from '../store.js';
import { eligibilityCard, statusOf, statusWords } from './card.js';
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

const DAY_MS = 24 * 60 * 60 * 1000;

/** True when a kept answer is more than a day old: it is shown greyed, with its date. */
export function isStale(result) {
  return Boolean(result.at) && Date.now() - Date.parse(result.at) > DAY_MS;
}

export function checkedLine(result) {
  const when = jalaliDateTime(result.at);
  if (isStale(result)) {
    return h('p', { class: 'checked offline stale', role: 'note' }, icon('offline'),
      t('This answer is from {date} and may have changed since. Check again when you are online.', { date: jalaliDate(new Date(result.at)) }));
  }
  if (result.offline) return h('p', { class: 'checked offline' }, icon('offline'), t('Last checked {time} — you are offline.', { time: when }));
  return h('p', { class: 'checked' }, t('Last checked: {time}', { time: when }));
}

/** «Check again»: progress while it asks; offline, it says it waits and asks once back online. */
export function checkAgain(app) {
  return actionButton({ class: 'secondary refresh' }, [icon('refresh'), t('Check again')], async (button) => {
    if (offline()) {
      waitForNetwork(app, button, t('You are offline: your eligibility will be checked again as soon as you are connected.'));
      return;
    }
    await app.refresh();
  }, t('Checking…'));
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
  const card = eligibilityCard(app, answer);
  if (isStale(result)) card.classList.add('stale');
  section.append(
    h('p', { class: 'greeting' }, t('Hello, {name}', { name: answer.name })),
    card,
    checkedLine(result),
    checkAgain(app),
    ...(statusOf(answer) === 'not-covered' ? [] : [
      cardBlock(app, result),
      h('p', { class: 'small' }, answer.as_of_note), // the seed's note on the expiry date: only with one
    ]),
    h('p', { class: 'small objection' }, rich(answer.objection)),
  );
  app.announce(statusWords(answer));
  return section;
}
