// Family: each dependant and newborn with status and reason (main insured only).
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { digits, t } from '../i18n.js';
import { eligibilityCard } from './card.js';
import { checkedLine, fetchKept } from './home.js';
import { failure } from './sign-in.js';

const RELATIONS = {
  spouse: () => t('Spouse'),
  'child:M': () => t('Son'),
  'child:F': () => t('Daughter'),
  'parent:M': () => t('Father'),
  'parent:F': () => t('Mother'),
  newborn: () => t('Newborn'),
};

function detail(member) {
  const relation = (RELATIONS[`${member.relation}:${member.sex}`] || RELATIONS[member.relation])();
  if (member.age === null || member.relation === 'newborn') return relation;
  return t('{relation}, {n} years old', { relation, n: member.age });
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
    h('p', { class: 'small' }, t('{n} people', { n: digits(members.length) })),
    ...members.map((member) => eligibilityCard(app, member, { heading: member.name, detail: detail(member) })),
    checkedLine(result),
  );
  return section;
}
