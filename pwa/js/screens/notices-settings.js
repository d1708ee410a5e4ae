// The notices part of settings: notices on this device (permission asked only on the tap), whether
// notices also come by SMS, and four groups of kinds (my cover, my family's, my record and misuse,
// reminders), each a switch that opens to its kinds (labels come from the server, in my language).
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { currentSubscription, pushPermission, PushRefused, turnOff, turnOn } from '../push.js';
import { failure } from './sign-in.js';

async function thisDevice(app, error) {
  const show = (failed) => {
    if (failed instanceof PushRefused) error.textContent = t('Notices were not allowed. You can allow them in your browser settings.');
    else if (failed instanceof DOMException) error.textContent = t('This browser could not turn on notices. Please try again later.');
    else error.textContent = failure(failed);
    error.hidden = false;
    app.announce(error.textContent);
  };
  const permission = pushPermission();
  if (permission === 'unsupported') {
    return h('p', { class: 'info' }, t('This browser cannot show notices. You will still find every notice in the notices tab.'));
  }
  if (permission === 'denied') {
    return h('p', { class: 'info' }, t('Notices are blocked for this site in your browser settings. You will still find every notice in the notices tab.'));
  }
  const subscription = permission === 'granted' ? await currentSubscription() : null;
  if (subscription) {
    const off = async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        await turnOff();
        app.announce(t('Notices are off for this device.'));
        app.render();
      } catch (failed) { show(failed); button.disabled = false; }
    };
    return h('div', { class: 'push-state' },
      h('p', { class: 'push-on' }, t('Notices are on for this device.')),
      h('button', { class: 'secondary', type: 'button', onclick: off }, t('Turn off notices')));
  }
  const on = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    error.hidden = true;
    try {
      await turnOn(); // the browser asks for permission now, not before
      app.announce(t('Notices are on for this device.'));
      app.render();
    } catch (failed) { show(failed); button.disabled = false; }
  };
  return h('div', { class: 'push-state' },
    h('p', { class: 'small' }, t('Get a notice on this phone when your cover changes. Your browser will ask you to allow it.')),
    h('button', { class: 'primary', type: 'button', onclick: on }, t('Turn on notices')));
}

/** A visible «saved» under the switch just changed (one at a time), said to screen readers too. */
function showSaved(label, enabled) {
  for (const old of document.querySelectorAll('.notice-settings .saved')) old.remove();
  label.after(h('p', { class: 'saved', role: 'status' },
    enabled ? t('Saved: you will get these notices.') : t('Saved: you will not get these notices.')));
}

function kindSwitch(kind, error) {
  const input = h('input', { type: 'checkbox', role: 'switch', name: kind.kind, checked: kind.enabled });
  input.addEventListener('change', async () => {
    input.disabled = true;
    error.hidden = true;
    try {
      await api.put('/api/notifications/settings', { kinds: [{ kind: kind.kind, enabled: input.checked }] });
      showSaved(input.closest('label'), input.checked);
    } catch (failed) {
      input.checked = !input.checked;
      error.textContent = failure(failed);
      error.hidden = false;
    } finally {
      input.disabled = false;
    }
  });
  return h('label', { class: 'choice switch' }, input, kind.label);
}

const SMS_CHOICES = [
  ['push_only', () => t('In the app only'), () => t('Notices come to this app and its notices tab, never by SMS.')],
  ['push_then_sms', () => t('In the app, then by SMS'), () => t('If a notice has not reached a phone of yours in time, or notices are off on every device, an SMS goes to your registered mobile.')],
  ['sms_too', () => t('By SMS too'), () => t('An SMS as well, at once, for every notice that can go by SMS.')],
];

/** The SMS choice: push only, push then SMS (the default), or SMS too; saved on change. */
function smsChoice(chosen, error) {
  const fieldset = h('fieldset', { class: 'sms-choice' }, h('legend', {}, t('Notices by SMS')),
    h('p', { class: 'hint' }, t('By SMS come only notices of your cover, prescriptions under your code, reads of your record and answers to you, a few a day at most; never a diagnosis or a medicine.')));
  for (const [value, label, hint] of SMS_CHOICES) {
    const input = h('input', { type: 'radio', name: 'sms', value, checked: value === chosen, 'aria-describedby': `sms-${value}-hint` });
    input.addEventListener('change', async () => {
      error.hidden = true;
      try {
        await api.put('/api/notifications/settings', { sms: value });
        chosen = value;
        for (const old of document.querySelectorAll('.notice-settings .saved')) old.remove();
        fieldset.append(h('p', { class: 'saved', role: 'status' }, t('Saved: {choice}.', { choice: label() })));
      } catch (failed) {
        fieldset.querySelector(`input[value="${chosen}"]`).checked = true;
        error.textContent = failure(failed);
        error.hidden = false;
      }
    });
    fieldset.append(h('label', { class: 'choice' }, input, label()),
      h('p', { class: 'hint', id: `sms-${value}-hint` }, hint()));
  }
  return fieldset;
}

const GROUPS = [
  ['cover', () => t('My cover'), (kind) => ['coverage_gained', 'coverage_lost', 'expiry_earlier', 'expiry_later', 'coverage_ended'].includes(kind)],
  ['family', () => t("My family's cover"), (kind) => kind.startsWith('dependant_') || kind === 'newborn_ending'],
  ['record', () => t('My record and misuse'), (kind) => ['prescription_written', 'prescription_cancelled', 'repeat_due', 'record_read'].includes(kind)],
  ['reminders', () => t('Reminders'), () => true], // cover ending soon, documents needed, and any new kind
];

function groupOf(kind) {
  return GROUPS.find(([, , has]) => has(kind))[0];
}

/** One group: a switch for all its kinds, opening to a switch for each. */
function group(name, label, kinds, error) {
  const switches = kinds.map((kind) => kindSwitch(kind, error));
  const inputs = switches.map((label) => label.querySelector('input'));
  const all = h('input', { type: 'checkbox', role: 'switch', name: `group-${name}`, checked: kinds.every((k) => k.enabled) });
  const sync = () => { all.checked = inputs.every((input) => input.checked); };
  inputs.forEach((input) => input.addEventListener('change', sync));
  all.addEventListener('change', async () => {
    all.disabled = true;
    error.hidden = true;
    const enabled = all.checked;
    try {
      await api.put('/api/notifications/settings', { kinds: kinds.map((k) => ({ kind: k.kind, enabled })) });
      inputs.forEach((input) => { input.checked = enabled; });
      showSaved(all.closest('label'), enabled);
    } catch (failed) {
      all.checked = !enabled;
      error.textContent = failure(failed);
      error.hidden = false;
    } finally {
      all.disabled = false;
    }
  });
  return h('div', { class: 'kind-group' },
    h('label', { class: 'choice switch group-switch' }, all, h('strong', {}, label)),
    h('details', {}, h('summary', {}, t('{n} kinds', { n: kinds.length })), switches));
}

/** The notices group of the settings screen (online only). */
export async function noticeSettings(app) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const { kinds, sms } = await api.get('/api/notifications/settings');
  return h('section', { class: 'group notice-settings', id: 'notice-settings' },
    h('h3', {}, t('Notices')),
    await thisDevice(app, error),
    error,
    smsChoice(sms, error),
    h('fieldset', { class: 'kinds' }, h('legend', {}, t('Which notices I get')),
      GROUPS.map(([name, label]) => {
        const mine = kinds.filter((kind) => groupOf(kind.kind) === name);
        return mine.length ? group(name, label(), mine, error) : null;
      })));
}
