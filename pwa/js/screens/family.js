// Family: a short list first (name, relation, a status chip, the date; people with a problem
// first), each opening the member's full card — one logged inquiry, with its tracking code. A
// mother who is not a main insured sees herself and her newborn.
import { api, ApiError } from '../api.js';
import { data, h, icon, rich } from '../dom.js';
import { digits, jalaliDate, t } from '../i18n.js';
import { daysLeft, eligibilityCard, statusChip, statusWords } from './card.js';
import { checkedLine, fetchKept } from './home.js';
import { documentLink } from './next-steps.js';
import { failure } from './sign-in.js';

const SON_NOTICE_DAYS = 60;
const RELATIONS = {
  spouse: () => t('Spouse'),
  'child:M': () => t('Son'),
  'child:F': () => t('Daughter'),
  'parent:M': () => t('Father'),
  'parent:F': () => t('Mother'),
  newborn: () => t('Newborn'),
  self: () => t('Myself'),
};

function detail(member) {
  const relation = (RELATIONS[`${member.relation}:${member.sex}`] || RELATIONS[member.relation])();
  if (member.age === null || member.relation === 'newborn' || member.relation === 'self') return relation;
  return t('{relation}, {n} years old', { relation, n: member.age });
}

/** «تا … — پس از آن با گواهی تحصیلی» for a son whose 19th birthday is within 60 days. */
function sonTurning19(member) {
  if (member.relation !== 'child' || member.sex !== 'M' || !member.covered || !member.age_limit_until) return null;
  const left = daysLeft(member.age_limit_until);
  if (left === null || left < 1 || left > SON_NOTICE_DAYS) return null;
  return h('p', { class: 'edge' }, icon('ending'),
    t('Until {date} — after that, with a student certificate', { date: jalaliDate(member.age_limit_until) }));
}

/** The newborn's own lines: birth date and the national code to get before the cover ends. */
function newbornLines(member) {
  if (member.relation !== 'newborn') return null;
  return h('div', { class: 'newborn' },
    member.birth_date && h('p', {}, t('Born on {date}', { date: jalaliDate(member.birth_date) })),
    member.valid_until && h('p', { class: 'edge' }, icon('ending'),
      t('Get the baby a national code before {date}.', { date: jalaliDate(member.valid_until) })));
}

function row(member) {
  const date = member.valid_until && jalaliDate(member.valid_until);
  const edge = sonTurning19(member); // says the date itself, and what comes after it
  return h('li', {},
    h('a', { class: 'member', href: `#/family/${encodeURIComponent(member.member_id)}` },
      h('span', { class: 'member-head' }, h('strong', {}, data(member.name)), h('span', { class: 'detail' }, detail(member))),
      h('span', { class: 'member-state' }, statusChip(member),
        date && !edge && h('span', { class: 'small' }, member.covered ? t('until {date}', { date }) : t('ended on {date}', { date }))),
      edge));
}

export async function family(app) {
  const section = h('section', { class: 'screen family' }, h('h2', {}, t('My family')));
  let result;
  try {
    result = await fetchKept(app, '/api/family', 'family');
  } catch (error) {
    const message = error instanceof ApiError && error.code === 'not_main_insured' ? error.message : failure(error);
    section.append(h('p', { class: 'info' }, message));
    return section;
  }
  if (!result.data) {
    section.append(h('p', { class: 'error', role: 'alert' }, t('You are offline and nothing has been checked on this phone yet.')));
    return section;
  }
  const { members } = result.data;
  if (!members.length) section.append(h('p', { class: 'info' }, t('No dependants are registered for you.')));
  section.append(
    h('p', { class: 'small' }, t('{n} people — tap a name for the full card and a tracking code.', { n: digits(members.length) })),
    h('ul', { class: 'list members' }, members.map(row)),
    checkedLine(result),
  );
  return section;
}

/** A member's documents (none for a newborn, who has no document to send): send one, or see
 *  those sent. */
function documentLinks(member) {
  if (member.relation === 'newborn') return [];
  return [h('p', { class: 'member-documents' },
    h('a', { class: 'button secondary', href: documentLink(member.member_id) }, t('Send a document')),
    ' ', h('a', { href: '#/documents' }, t('Documents sent')))];
}

/** One member's full card: GET /api/family/<id> (one logged inquiry); offline, the kept one. */
export async function familyMember(app) {
  const id = decodeURIComponent(location.hash.split('/')[2] || '');
  const section = h('section', { class: 'screen family-member' },
    h('p', { class: 'small' }, h('a', { href: '#/family' }, t('Back to the family'))));
  let result;
  try {
    result = await fetchKept(app, `/api/family/${encodeURIComponent(id)}`, `family:${id}`);
  } catch (error) {
    section.append(h('h2', {}, t('My family')), h('p', { class: 'error', role: 'alert' }, failure(error)));
    return section;
  }
  if (!result.data) {
    section.append(h('h2', {}, t('My family')), h('p', { class: 'error', role: 'alert' }, t('You are offline and nothing has been checked on this phone yet.')));
    return section;
  }
  const member = result.data;
  section.append(
    h('h2', {}, data(member.name)),
    h('p', { class: 'detail' }, detail(member)),
    eligibilityCard(app, member, { extra: [sonTurning19(member), newbornLines(member)] }),
    checkedLine(result),
    ...documentLinks(member),
    h('p', { class: 'small' }, rich(t('If you disagree with your eligibility status, call 1420 or visit 1420.tamin.ir.'))),
  );
  app.announce(statusWords(member));
  return section;
}
