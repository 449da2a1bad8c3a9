// The client's entry: the header, the routes, and what follows signing in and out.
import { isCandidate, seesDirectory } from './core/account.js';
import { api } from './core/api.js';
import { badges, viewing } from './core/badges.js';
import { clear, h } from './core/dom.js';
import { currentLang, onLocaleChange, personName, setLang, setTimezone, t } from './core/i18n.js';
import { rememberUser } from './core/people.js';
import { currentPath, navigate, render, route, setGuard, start } from './core/router.js';
import { session } from './core/session.js';
import { realtime } from './core/socket.js';
import { activateView, loginView, resetView } from './views/auth.js';
import { calendarsView } from './views/calendars.js';
import { candidatesView, candidateView } from './views/candidates.js';
import { examSessionView, examsView } from './views/exams.js';
import { interviewsView, interviewView, todosView, todoView } from './views/records.js';
import { messagesView } from './views/messages.js';
import { bell, notificationsView } from './views/notifications.js';
import { personalityView } from './views/personality.js';
import { resumesView, resumeView } from './views/resumes.js';
import { roomView } from './views/room/room.js';
import { settingsView } from './views/settings.js';
import { todayView } from './views/today.js';

route('/', todayView, { name: 'today' });
route('/login', loginView, { public: true, name: 'login' });
route('/activate', activateView, { public: true, name: 'activate' });
route('/reset-password', resetView, { public: true, name: 'reset' });
route('/messages', messagesView, { name: 'messages' });
route('/messages/:counterpart', messagesView, { name: 'messages' });
route('/notifications', notificationsView, { name: 'notifications' });
route('/interviews', interviewsView, { name: 'interviews' });
route('/interviews/:id', interviewView, { name: 'interview' });
route('/todos', todosView, { name: 'todos' });
route('/todos/:id', todoView, { name: 'todo' });
route('/candidates', candidatesView, { name: 'candidates' });
route('/candidates/:id', candidateView, { name: 'candidate' });
route('/resumes', resumesView, { name: 'resumes' });
route('/resumes/:id', resumeView, { name: 'resume' });
route('/exams', examsView, { name: 'exams' });
route('/exams/sessions/:id', examSessionView, { name: 'exam' });
route('/personality', personalityView, { name: 'personality' });
route('/settings', settingsView, { name: 'settings' });
route('/settings/calendars', calendarsView, { name: 'calendars' });
route('/r/:code', roomView, { name: 'room' });
route('/rooms/:code', roomView, { name: 'room' });
route('/404', notFoundView, { public: true, name: 'not-found' });

const AUTH_PAGES = new Set(['login']);

setGuard((found) => {
  if (!found.options.public && !session.signedIn) {
    return `/login?next=${encodeURIComponent(currentPath())}`;
  }
  if (AUTH_PAGES.has(found.options.name) && session.signedIn) return '/';
  return null;
});

function notFoundView({ main }) {
  main.append(h('section', { class: 'page narrow' },
    h('h1', {}, t('notfound.title')),
    h('p', {}, t('notfound.text')),
    h('p', {}, h('a', { href: '/' }, t('nav.today')))));
}

let unmountBell = null;

function header() {
  const bar = document.getElementById('topbar');
  if (unmountBell) unmountBell();
  unmountBell = null;
  const other = currentLang() === 'ja' ? 'en' : 'ja';
  const langButton = h('button', {
    type: 'button', class: 'lang', lang: other, 'aria-label': t('lang.switch'), title: t('lang.switch'),
    onclick: () => switchLanguage(other),
  }, other === 'ja' ? '日本語' : 'English');
  if (!session.signedIn) {
    clear(bar, h('a', { class: 'brand', href: '/' }, 'MiraiWorks'), h('div', { class: 'tools' }, langButton));
    return;
  }
  const user = session.user;
  const messagesBadge = h('span', { class: 'badge', hidden: badges.messages === 0, 'aria-hidden': 'true' }, String(badges.messages));
  const messagesLink = h('a', { href: '/messages', dataset: { nav: 'messages' } }, t('nav.messages'), messagesBadge,
    h('span', { class: 'sr-only' }, badges.messages ? t('messages.unread', { n: badges.messages }) : ''));
  const bellBox = h('div', { class: 'bell-box' });
  const status = h('span', { class: 'conn', role: 'status', title: t(`conn.${realtime.status}`) },
    h('span', { class: 'sr-only' }, t(`conn.${realtime.status}`)));
  const menu = h('details', {
    class: 'menu',
    onkeydown: (event) => {
      if (event.key === 'Escape' && menu.open) {
        menu.open = false;
        menu.querySelector('summary').focus();
      }
    },
  },
    h('summary', {}, user ? personName(user.first_name, user.last_name) : t('nav.account')),
    h('div', { class: 'menu-items' },
      h('a', { href: '/settings' }, t('nav.settings')),
      h('button', { type: 'button', class: 'signout', onclick: signOut }, t('nav.signout'))));
  clear(bar,
    h('a', { class: 'brand', href: '/' }, 'MiraiWorks'),
    h('nav', { 'aria-label': t('nav.label') },
      h('a', { href: '/', dataset: { nav: 'today' } }, t('nav.today')),
      messagesLink,
      h('a', { href: '/todos', dataset: { nav: 'todos' } }, t('nav.todos')),
      h('a', { href: '/interviews', dataset: { nav: 'interviews' } }, t('nav.interviews')),
      seesDirectory() ? h('a', { href: '/candidates', dataset: { nav: 'candidates' } }, t('nav.candidates')) : null,
      isCandidate() ? h('a', { href: '/resumes', dataset: { nav: 'resumes' } }, t('nav.resumes')) : null,
      isCandidate() ? h('a', { href: '/exams', dataset: { nav: 'exams' } }, t('nav.exams')) : null,
      isCandidate() ? h('a', { href: '/personality', dataset: { nav: 'personality' } }, t('nav.personality')) : null),
    h('div', { class: 'tools' }, status, bellBox, langButton, menu));
  unmountBell = bell(bellBox);
  markCurrentNav();
}

// A record's page marks the list it belongs to (a resume: the candidate's list, or the directory).
const SECTION_OF = { todo: ['todos'], interview: ['interviews'], candidate: ['candidates'], resume: ['resumes', 'candidates'], exam: ['exams'] };

function markCurrentNav() {
  const name = document.getElementById('main').dataset.route;
  for (const link of document.querySelectorAll('#topbar nav a')) {
    const current = link.dataset.nav === name || SECTION_OF[name]?.includes(link.dataset.nav);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function switchLanguage(next) {
  setLang(next);
  if (!session.signedIn) return;
  try {
    await api('/api/settings/language', { method: 'PATCH', body: { value: next } });
  } catch (error) {
    if (error.status === 404) {
      await api('/api/settings', { method: 'POST', body: { key: 'language', value: next, data_type: 'string', category: 'general' } })
        .catch(() => {});
    }
  }
}

async function signOut() {
  await session.signOut();
}

async function loadAccount() {
  try {
    const me = await api('/api/auth/me');
    rememberUser(me.user);
    session.setUser(me.user);
  } catch {
    // answered by the session (expired) or tried again on the next page
  }
  try {
    const zone = await api('/api/settings/timezone');
    if (typeof zone?.value === 'string') setTimezone(zone.value);
  } catch {
    // no setting: Asia/Tokyo
  }
  await countUnread();
}

// Unread messages in the header, wherever the person is (the open thread reads its own).
// Counted by the server (a push racing a count in flight would be counted twice).
let unreadTimer = null;
async function countUnread() {
  try {
    const conversations = await api('/api/messages/conversations', { query: { limit: 100 } });
    badges.setMessages((conversations.items || []).reduce((sum, c) => sum + c.unread_count, 0));
  } catch {
    // the badge stays as it was
  }
}
realtime.on('message:new', (message) => {
  if (message.sender_id === session.user?.id || viewing.counterpart === message.sender_id) return;
  clearTimeout(unreadTimer);
  unreadTimer = setTimeout(countUnread, 300);
});

let awayTimer = null;
document.addEventListener('visibilitychange', () => {
  clearTimeout(awayTimer);
  awayTimer = setTimeout(() => {
    if (realtime.connected) realtime.emit('presence:set', { status: document.hidden ? 'away' : 'online' }).catch(() => {});
  }, 5_000);
});

session.onChange((reason) => {
  if (reason === 'signed-in') {
    realtime.start();
    loadAccount();
    header();
  } else if (reason === 'signed-out' || reason === 'expired') {
    realtime.stop();
    header();
    const next = reason === 'expired' ? `?next=${encodeURIComponent(currentPath())}` : '';
    navigate(`/login${next}`, { replace: true });
  } else if (reason === 'user') {
    header();
  }
});

realtime.onStatus((status) => {
  const dot = document.querySelector('#topbar .conn');
  if (dot) {
    dot.title = t(`conn.${status}`);
    dot.firstChild.textContent = t(`conn.${status}`);
  }
});
badges.onChange(({ messages }) => {
  const link = document.querySelector('#topbar [data-nav=messages]');
  if (!link) return;
  const badge = link.querySelector('.badge');
  badge.textContent = String(messages);
  badge.hidden = messages === 0;
  link.querySelector('.sr-only').textContent = messages ? t('messages.unread', { n: messages }) : '';
});
onLocaleChange(() => {
  header();
  // Redraw the page in the new language, except a room in use (redrawing would leave it).
  const route = document.getElementById('main').dataset.route;
  const inRoom = route === 'room' && document.querySelector('.room[data-state=joined], .room[data-state=lobby]');
  if (!inRoom) render();
});
window.addEventListener('popstate', () => setTimeout(markCurrentNav));

if (session.signedIn) {
  realtime.start();
  loadAccount();
}
header();
start();
// The router draws after `start`; mark the page in the navigation once it has.
new MutationObserver(markCurrentNav).observe(document.getElementById('main'), { attributes: true, attributeFilter: ['data-route'] });
window.miraiworks = { realtime, session };
