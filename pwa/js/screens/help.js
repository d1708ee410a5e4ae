// Help: 1420 (tappable wherever it appears), objections, passkeys in one sentence, registering a
// mobile, the children's rules, and the seed's warning never to give one's national code to others.
import { h, icon, rich } from '../dom.js';
import { t } from '../i18n.js';

export function help() {
  return h('section', { class: 'screen help' },
    h('h2', {}, t('Help')),
    h('div', { class: 'card warning', role: 'note' },
      h('h3', {}, t('Never give your national code to others')),
      h('p', {}, t('Never let anyone use your national code for treatment: their records enter your file and can mislead your own diagnosis and care.'))),
    h('h3', {}, t('If you disagree with your status')),
    h('p', { class: 'objection' }, rich(t('If you disagree with your eligibility status, call 1420 or visit 1420.tamin.ir.'))),
    h('p', {}, h('a', { class: 'button primary call', href: 'tel:1420' }, icon('phone'), t('Call 1420')),
      ' ', h('a', { class: 'button secondary', href: 'https://1420.tamin.ir', rel: 'noopener', dir: 'ltr' }, '1420.tamin.ir')),
    h('h3', {}, t('Objecting in the app')),
    h('p', {}, t('You can also send your objection here, with a document if you have one; the answer comes to your notices.')),
    h('p', {}, h('a', { class: 'button secondary', href: '#/objection?subject=cover' }, t('Object in the app'))),
    h('h3', {}, t('What is a passkey?')),
    h('p', {}, t('A passkey lets this phone sign you in with its own screen lock (fingerprint, face or PIN), so you need no SMS code and no password.')),
    h('h3', {}, t('Registering or changing your mobile')),
    h('p', {}, rich(t('Your mobile is registered with your national code at es.tamin.ir or at any branch of the Social Security Organisation (bring your national card).'))),
    h('h3', {}, t('About the expiry date')),
    h('p', {}, t('This date reflects your contributions and insurance status as of today and may change with them.')),
    h('h3', {}, t('Newborns')),
    h('p', {}, t("A newborn is served under the mother's national code for one month after birth.")),
    h('h3', {}, t('Sons over 19 and daughters over 18')),
    h('p', {}, t('A son is covered until he is 19 full years old, then with a valid university enrolment certificate; a daughter until 18, then once her original birth certificate has been shown.')),
    h('p', {}, t('Until the electronic link with the Ministry of Science and the Registration Organisation exists, these children are served under the current procedure.')),
    h('h3', {}, t('For pharmacies and clinics')),
    h('p', {}, h('a', { href: '#/verify' }, t("Check a patient's card, even with no network"))),
  );
}
