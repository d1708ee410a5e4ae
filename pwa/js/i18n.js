// Languages: Persian first (right to left, Persian digits, Jalali dates), English second.
// Texts are the server's Babel catalogues (translations/), fetched as /i18n/<lang>.json;
// `t('English text')` is what Babel extracts from this code.

const STORAGE_KEY = 'darman.lang';
export const LANGUAGES = ['fa', 'en'];
let language = 'fa';
let catalog = {};

export function currentLanguage() {
  return language;
}

/** The stored choice, else Persian. */
export function preferredLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(stored) ? stored : 'fa';
}

/** Load a language's catalogue and turn the page's direction to it. */
export async function setLanguage(lang) {
  const response = await fetch(`/i18n/${lang}.json`);
  catalog = response.ok ? await response.json() : {};
  language = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'fa' ? 'rtl' : 'ltr';
}

/** A text in the current language; `{name}` placeholders are filled from `values`; words are
 *  isolated (FSI…PDI) so that a Persian name keeps its place in an English sentence. */
export function t(text, values = {}) {
  const translated = catalog[text] || text;
  return translated.replace(/%\((\w+)\)s|\{(\w+)\}/g, (match, a, b) => {
    const key = a || b;
    if (!(key in values)) return match;
    const value = digits(values[key]);
    return /\p{L}/u.test(value) ? `\u2068${value}\u2069` : value;
  });
}

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** Numbers in the current language's digits: the one place digits are converted. */
export function digits(value) {
  const text = String(value);
  if (language !== 'fa') return text;
  return text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[d]);
}

/** Whole rials as people read them: «۱۲۳٬۴۰۰ ریال» (Persian thousands separator), "123,400 rials". */
export function rials(value) {
  const grouped = String(value).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'fa' ? '\u066c' : ',');
  return t('%(amount)s rials', { amount: grouped });
}

/** Persian or Arabic digits typed by a person, as ASCII digits. */
export function latinDigits(text) {
  return String(text)
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

/** A date (ISO `YYYY-MM-DD` or a Date) in the Jalali calendar: «۳۰ آذر ۱۴۰۵». */
export function jalaliDate(value) {
  const date = typeof value === 'string' ? new Date(`${value}T12:00:00`) : value;
  const locale = language === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-u-ca-persian';
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' })
    .format(date)
    .replace(/ AP\b/g, '');
}

/** A moment as Jalali date and time: «۱ آذر ۱۴۰۵، ۱۴:۰۵». */
export function jalaliDateTime(value) {
  const date = typeof value === 'string' ? new Date(value) : value;
  const locale = language === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-u-ca-persian';
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZone: 'Asia/Tehran',
  }).format(date).replace(/ AP\b/g, '');
}
