// The person's language and time zone (kept as their `language` / `timezone` settings), and
// signing out of every device; a link to the calendars page (calendars.js).
import { api } from '../core/api.js';
import { busy, h, toast } from '../core/dom.js';
import { currentLang, currentTimezone, LANGUAGES, setLang, setTimezone, t, timezones } from '../core/i18n.js';
import { session } from '../core/session.js';
import { problem } from './auth.js';

async function save(key, value) {
  try {
    await api(`/api/settings/${key}`, { method: 'PATCH', body: { value } });
  } catch (error) {
    if (error.status !== 404) throw error;
    await api('/api/settings', { method: 'POST', body: { key, value, data_type: 'string', category: 'general' } });
  }
}

export function settingsView({ main }) {
  const language = h('select', { id: 'set-lang', name: 'language' },
    LANGUAGES.map((code) => h('option', { value: code, selected: code === currentLang(), lang: code }, code === 'ja' ? '日本語' : 'English')));
  const zone = h('select', { id: 'set-tz', name: 'timezone' },
    timezones().map((name) => h('option', { value: name, selected: name === currentTimezone() }, name)));
  const form = h('form', {
    class: 'stack',
    onsubmit: (event) => {
      event.preventDefault();
      busy(form, async () => {
        try {
          await save('language', language.value);
          await save('timezone', zone.value);
          setTimezone(zone.value);
          setLang(language.value);
          toast(t('settings.saved'));
        } catch (error) {
          toast(problem(error), { kind: 'error' });
        }
      });
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'set-lang' }, t('settings.language')), language),
  h('div', { class: 'field' }, h('label', { for: 'set-tz' }, t('settings.timezone')), zone),
  h('button', { type: 'submit', class: 'primary' }, t('settings.save')));
  main.append(h('section', { class: 'page narrow card' },
    h('h1', {}, t('nav.settings')),
    session.user ? h('p', {}, session.user.email) : null,
    form,
    h('h2', {}, t('calendars.title')),
    h('p', {}, t('settings.calendars_text')),
    h('p', {}, h('a', { href: '/settings/calendars', id: 'settings-calendars' }, t('settings.calendars_link'))),
    h('h2', {}, t('settings.sessions')),
    h('p', {}, t('settings.sessions_text')),
    h('button', { type: 'button', class: 'danger', onclick: () => session.signOut({ all: true }) }, t('settings.signout_all'))));
}
