// One way for every action that may take a while, on every screen: its control is disabled at
// once (so it cannot be sent twice), and past PROGRESS_AFTER_MS it says it is working; an action
// that needs the network, tapped offline, says it waits and runs when the phone is back online.
import { h } from './dom.js';
import { t } from './i18n.js';

const PROGRESS_AFTER_MS = 300; // quicker answers need no sign of progress

/** Run `action` for `control` (a button): never twice at once; its words become `working`
 *  (with a spinner) once it takes longer than PROGRESS_AFTER_MS. Returns what `action` returns. */
export async function pending(control, action, working = t('Please wait…')) {
  if (control.getAttribute('aria-busy') === 'true') return undefined;
  const words = [...control.childNodes];
  control.setAttribute('aria-busy', 'true');
  control.disabled = true;
  const slow = setTimeout(() => {
    control.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), working);
  }, PROGRESS_AFTER_MS);
  try {
    return await action();
  } finally {
    clearTimeout(slow);
    control.replaceChildren(...words);
    control.removeAttribute('aria-busy');
    control.disabled = false;
  }
}

/** A button whose click runs `action` through `pending`. */
export function actionButton(attributes, children, action, working) {
  const button = h('button', { type: 'button', ...attributes }, children);
  button.addEventListener('click', () => pending(button, () => action(button), working));
  return button;
}

/** True when the phone says it has no network (the action would only fail). */
export function offline() {
  return navigator.onLine === false;
}

/** Offline: say beside `control` that the action waits, and run `action` (if any: the app
 *  shows its screen again by itself) once back online — once, however many times it was tapped. */
export function waitForNetwork(app, control, message, action) {
  let note = control.parentElement && control.parentElement.querySelector('.waiting');
  if (!note) {
    note = h('p', { class: 'waiting', role: 'status' });
    control.after(note);
  }
  note.textContent = message;
  app.announce(message);
  if (control.dataset.waiting) return;
  control.dataset.waiting = '1';
  window.addEventListener('online', () => {
    delete control.dataset.waiting;
    note.remove();
    if (action) action();
  }, { once: true });
}
