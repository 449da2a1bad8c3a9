// Language (Japanese or English: the browser's, until the person picks one) and times in the
// person's time zone (their `timezone` setting, Asia/Tokyo by default).
import { STRINGS } from './strings.js';

const LANG_KEY = 'mw.lang';
export const LANGUAGES = ['ja', 'en'];
export const DEFAULT_TIMEZONE = 'Asia/Tokyo';

let lang = detect();
let timezone = DEFAULT_TIMEZONE;
const listeners = new Set();

function detect() {
  const chosen = localStorage.getItem(LANG_KEY);
  if (LANGUAGES.includes(chosen)) return chosen;
  for (const wanted of navigator.languages || [navigator.language]) {
    const base = String(wanted || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function currentLang() {
  return lang;
}

export function setLang(next) {
  if (!LANGUAGES.includes(next) || next === lang) return;
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn());
}

export function currentTimezone() {
  return timezone;
}

export function setTimezone(next) {
  if (!next || !validTimezone(next) || next === timezone) return;
  timezone = next;
  listeners.forEach((fn) => fn());
}

export function validTimezone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Called when the language or the time zone changes (views redraw). */
export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The text of `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

function locale() {
  return lang === 'ja' ? 'ja-JP' : 'en-GB';
}

function format(iso, options) {
  if (!iso) return '';
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), { timeZone: timezone, ...options }).format(date);
}

export const fmt = {
  dateTime: (iso) => format(iso, { dateStyle: 'medium', timeStyle: 'short' }),
  date: (iso) => format(iso, { dateStyle: 'medium' }),
  longDate: (iso) => format(iso, { dateStyle: 'full' }),
  time: (iso) => format(iso, { timeStyle: 'short' }),
  range(start, end) {
    if (!start) return t('time.unscheduled');
    if (!end) return fmt.dateTime(start);
    const sameDay = dayKey(start) === dayKey(end);
    return sameDay ? `${fmt.dateTime(start)} – ${fmt.time(end)}` : `${fmt.dateTime(start)} – ${fmt.dateTime(end)}`;
  },
  /** Today's messages by their time, older ones by their date. */
  short(iso) {
    return dayKey(iso) === dayKey(new Date()) ? fmt.time(iso) : format(iso, { month: 'short', day: 'numeric' });
  },
  zoneName: () => timezone,
};

/** YYYY-MM-DD of an instant in the person's time zone. */
export function dayKey(iso) {
  return format(iso, { year: 'numeric', month: '2-digit', day: '2-digit' }).replace(/\D+/g, '-');
}

function offsetMinutes(instant, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - instant.getTime()) / 60000);
}

/** The instants a calendar day begins and ends in the person's time zone: [start, end). */
export function dayBounds(date = new Date(), days = 1) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(date).map((p) => [p.type, p.value]),
  );
  const midnight = (y, m, d) => {
    let guess = new Date(Date.UTC(y, m, d));
    for (let i = 0; i < 2; i += 1) {
      guess = new Date(Date.UTC(y, m, d) - offsetMinutes(guess, timezone) * 60000);
    }
    return guess;
  };
  const y = +parts.year;
  const m = +parts.month - 1;
  const d = +parts.day;
  return [midnight(y, m, d), midnight(y, m, d + days)];
}

/** The instant a wall time (`YYYY-MM-DDTHH:MM`, as a datetime-local field gives it) names in
 * the person's time zone, or null. */
export function zonedInstant(value) {
  const found = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!found) return null;
  const wall = Date.UTC(+found[1], +found[2] - 1, +found[3], +found[4], +found[5]);
  let guess = new Date(wall);
  for (let i = 0; i < 2; i += 1) guess = new Date(wall - offsetMinutes(guess, timezone) * 60000);
  return guess;
}

/** An instant as the wall time of a datetime-local field, in the person's time zone. */
export function zonedValue(iso) {
  if (!iso) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

export function timezones() {
  const common = ['Asia/Tokyo', 'UTC', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Kolkata',
    'Europe/London', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney'];
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...common, ...all, timezone])];
}

/** A person's name in the order the language expects. */
export function personName(first, last) {
  const parts = lang === 'ja' ? [last, first] : [first, last];
  return parts.filter(Boolean).join(' ');
}

document.documentElement.lang = lang;
