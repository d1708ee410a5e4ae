// Notices: my inbox, newest first (read or not), "mark all read", more by the cursor; and the
// unread count on the tab. Titles and bodies may name providers: always text, never markup.
import { api, OfflineError } from '../api.js';
import { pending } from '../busy.js';
import { data, h } from '../dom.js';
import { digits, jalaliDateTime, t } from '../i18n.js';
import { checkedLine, fetchKept } from './home.js';
import { failure } from './sign-in.js';

/** The badge of the notices tab: the count, and words for screen readers. */
export function unreadBadge(count) {
  const badge = h('span', { class: 'count', hidden: !count });
  if (count) badge.append(h('span', { 'aria-hidden': 'true' }, digits(count > 99 ? '99+' : count)),
    h('span', { class: 'visually-hidden' }, t('{n} unread', { n: digits(count) })));
  return badge;
}

/** Show a new unread count on the tab (and keep it for the next render). */
export function setUnread(app, count) {
  app.state.unread = count;
  const old = document.querySelector('#tabs .tab-notices .count');
  if (old) old.replaceWith(unreadBadge(count));
}

/** Ask the server how many notices are unread (online, signed in); never fails loudly. */
export async function refreshUnread(app) {
  if (!app.state.me || app.state.offline) return;
  try {
    const { unread } = await api.get('/api/notifications?unread=1');
    setUnread(app, unread);
  } catch (error) {
    if (!(error instanceof OfflineError)) console.warn('unread notices', error);
  }
}

/** The screen a notice opens: one of ours (`/#/…`), else the inbox. */
function screenHash(url) {
  return typeof url === 'string' && url.startsWith('/#/') ? url.slice(1) : '#/notices';
}

function noticeItem(app, notice) {
  const target = screenHash(notice.url);
  const open = async (event) => {
    event.preventDefault();
    if (!notice.read && !app.state.offline) {
      try {
        const { unread } = await api.post(`/api/notifications/${notice.id}/read`);
        setUnread(app, unread);
      } catch (error) {
        console.warn('mark read', error);
      }
    }
    app.go(target);
  };
  return h('li', {}, h('a', {
    class: notice.read ? 'notice' : 'notice unread', href: target, onclick: open, 'data-id': notice.id,
  },
  h('span', { class: 'notice-head' },
    h('strong', { class: 'notice-title' }, data(notice.title)),
    !notice.read && h('span', { class: 'badge new' }, t('New'))),
  h('span', { class: 'notice-body' }, data(notice.body)), // in the language of the day it came
  h('time', { class: 'notice-time', datetime: notice.at }, jalaliDateTime(notice.at))),
  // 1420 in a notice is tappable: beside the notice, since a link cannot sit inside its link
  /1420|۱۴۲۰/.test(notice.body) && h('a', { class: 'button secondary notice-call', href: 'tel:1420' }, t('Call 1420')));
}

export async function notices(app) {
  const section = h('section', { class: 'screen notices' }, h('h2', {}, t('Notices')));
  let result;
  try {
    result = await fetchKept(app, '/api/notifications', 'notices');
  } catch (error) {
    section.append(h('p', { class: 'error', role: 'alert' }, failure(error)));
    return section;
  }
  if (!result.data) {
    section.append(h('p', { class: 'error', role: 'alert' }, t('You are offline and nothing has been checked on this phone yet.')));
    return section;
  }
  const { notifications, unread } = result.data;
  let cursor = result.data.next_cursor;
  if (!result.offline) setUnread(app, unread);
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const list = h('ul', { class: 'notice-list' }, notifications.map((notice) => noticeItem(app, notice)));

  const markAll = (event) => pending(event.currentTarget, async () => {
    try {
      await api.post('/api/notifications/read-all');
      setUnread(app, 0);
      app.announce(t('All notices are marked as read.'));
      app.render();
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
    }
  });
  const more = h('button', { class: 'secondary wide', type: 'button', hidden: !cursor }, t('Older notices'));
  more.addEventListener('click', () => pending(more, async () => {
    try {
      const page = await api.get(`/api/notifications?before=${encodeURIComponent(cursor)}`);
      list.append(...page.notifications.map((notice) => noticeItem(app, notice)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
    }
  }));

  section.append(h('div', { class: 'notices-head' },
    h('p', { class: 'small' }, unread ? t('{n} unread', { n: digits(unread) }) : t('All read')),
    unread > 0 && !result.offline
      && h('button', { class: 'link', type: 'button', onclick: markAll }, t('Mark all as read'))));
  if (notifications.length) section.append(list, more);
  else section.append(h('p', { class: 'info' }, t('You have no notices yet. When your cover changes, you will find it here.')));
  section.append(error);
  if (result.offline) section.append(checkedLine(result));
  section.append(h('p', { class: 'small' }, h('a', { href: '#/settings' }, t('Choose which notices you get'))));
  return section;
}
