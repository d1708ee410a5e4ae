// What to do next, under a not-covered or ending-soon answer: a step for each reason (a
// document the app can take is offered online first, before a branch), a big «تماس با ۱۴۲۰»
// button and the objection link.
import { h, icon, rich } from '../dom.js';
import { jalaliDate, t } from '../i18n.js';

const BRANCH = () => t('Register at a branch of the Social Security Organisation; bring your national card.');

/** The step for paying again, by how the main insured is insured. */
function contributions(answer) {
  if (answer.basis === 'self_employed' || answer.basis === 'voluntary') {
    return t('Pay your contribution: your cover runs to the end of the last month paid.');
  }
  if (answer.basis === 'worker') {
    return t('Ask your employer to send the monthly list of insured workers with your days: cover returns once they are recorded.');
  }
  return t("The cover follows the main insured's contributions: once they are recorded, it returns.");
}

/** A husband's or parent's steps: the day the age condition is met (the reason above already
 *  says the rule, so it is not said again), and what a disability needs. */
function condition(answer) {
  const disabled = t('If disabled, send the disability decision in the app (below), or bring it to a branch of the Social Security Organisation.');
  if (!answer.conditions_met_on) return [disabled];
  return [t('Cover can start on {date}, when the age condition is met.', { date: jalaliDate(answer.conditions_met_on) }), disabled];
}

const STEPS = {
  student_certificate_missing: () => t("Send the university's enrolment certificate in the app (below): no need to go to a branch."),
  birth_certificate_not_presented: () => t('The original birth certificate must be seen in person: show it at a branch of the Social Security Organisation, where it is recorded and the cover returns at once.'),
  no_recent_contributions: contributions,
  cover_ended: contributions,
  pension_ended: () => t('Ask a branch of the Social Security Organisation about your pension.'),
  insured_not_covered: () => t("The cover follows the main insured's: once theirs returns, this one does too."),
  husband_conditions: condition,
  parent_conditions: condition,
  not_found: BRANCH,
  not_insured: BRANCH,
  newborn_period_ended: () => t('Get the baby a national code and have them registered as a dependant at a branch.'),
};

/** The screen that sends a document, for a family member (`p12`; none: oneself) and a kind. */
export function documentLink(memberId, kind) {
  const query = new URLSearchParams();
  if (memberId) query.set('member', memberId);
  if (kind) query.set('kind', kind);
  return `#/document?${query}`;
}

/** The document this answer's reasons ask for that the app can take, if any. */
function documentKind(answer) {
  const codes = (answer.reasons || []).map((reason) => reason.code);
  if (codes.includes('student_certificate_missing')) return 'student_certificate';
  if (codes.includes('husband_conditions') || codes.includes('parent_conditions')) return 'disability';
  return null;
}

/** The objection form's address for this answer (a dependant's names their code). */
function objectionLink(answer) {
  const dependant = answer.relation && answer.relation !== 'self' && answer.national_code;
  const query = dependant ? `subject=dependant_cover&national_code=${encodeURIComponent(answer.national_code)}` : 'subject=cover';
  return `#/objection?${query}`;
}

/** The panel; `status` is `not-covered` or `ending`. */
export function nextSteps(answer, status) {
  const steps = [];
  for (const reason of answer.reasons || []) {
    const step = STEPS[reason.code];
    if (step) steps.push(...[step(answer)].flat());
  }
  if (status === 'ending') steps.push(answer.relation === 'newborn' ? STEPS.newborn_period_ended() : contributions(answer));
  const unique = [...new Set(steps)];
  const kind = documentKind(answer);
  return h('section', { class: 'next-steps', 'aria-label': t('What to do next') },
    h('h3', {}, t('What to do next')),
    unique.length > 0 && h('ul', {}, unique.map((step) => h('li', {}, rich(step)))),
    kind && h('a', { class: 'button primary', href: documentLink(answer.member_id, kind) }, t('Send the document in the app')),
    h('a', { class: 'button primary call', href: 'tel:1420' }, icon('phone'), t('Call 1420')),
    status === 'not-covered' && h('p', { class: 'small' }, h('a', { href: objectionLink(answer) }, t('Object to the eligibility status'))),
  );
}
