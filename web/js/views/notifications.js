// The bell (unread count, the latest notifications, live `notification:new`) and the page of
// every notification. A notification opens the page it is about: its `action_url` (an
// interview, a todo, a room, the messages) or, for a message, the thread with its sender.
import { api } from '../core/api.js';
import { clear, h, icon, toast } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { internalPath, navigate } from '../core/router.js';
import { realtime } from '../core/socket.js';

const unread = { count: 0, listeners: new Set() };

function setUnread(n) {
  unread.count = Math.max(0, n);
  unread.listeners.forEach((fn) => fn(unread.count));
}

/** Where a notification leads inside the client, or null. */
export function target(notification) {
  const path = internalPath(notification.action_url || '');
  if (path) return path;
  const sender = notification.data?.sender_id;
  if (notification.type === 'message_received' && sender) return `/messages/${sender}`;
  return null;
}

async function open(notification) {
  if (!notification.is_read) {
    notification.is_read = true;
    setUnread(unread.count - 1);
    api(`/api/notifications/${notification.id}/read`, { method: 'POST' }).catch(() => {});
  }
  const path = target(notification);
  if (path) navigate(path);
}

function item(notification, after) {
  const path = target(notification);
  const body = [
    h('span', { class: 'n-title' }, notification.title),
    notification.message ? h('span', { class: 'n-text' }, notification.message) : null,
    h('time', { datetime: notification.created_at }, fmt.dateTime(notification.created_at)),
  ];
  const attrs = {
    class: `notification${notification.is_read ? '' : ' unread'}`,
    dataset: { id: notification.id },
    onclick: (event) => {
      event.preventDefault();
      open(notification).then(after);
    },
  };
  const control = path ? h('a', { href: path, ...attrs }, body) : h('button', { type: 'button', ...attrs }, body);
  return h('li', {}, control, notification.is_read ? null : h('span', { class: 'sr-only' }, t('notifications.unread_one')));
}

async function markAll() {
  await api('/api/notifications/read-all', { method: 'POST' });
  setUnread(0);
}

/** The header's bell; returns its unmount function. */
export function bell(container) {
  const badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const label = () => t('notifications.bell', { n: unread.count });
  const button = h('button', {
    type: 'button', class: 'bell', 'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-label': label(),
    'aria-controls': 'bell-panel', title: t('notifications.title'),
  }, icon('bell'), badge);
  const list = h('ul', { class: 'notification-list' });
  const panel = h('div', { id: 'bell-panel', class: 'bell-panel', hidden: true, role: 'region', 'aria-label': t('notifications.title') },
    h('div', { class: 'panel-head' },
      h('strong', {}, t('notifications.title')),
      h('button', { type: 'button', class: 'link', onclick: () => markAll().then(load).catch(() => {}) }, t('notifications.read_all'))),
    list,
    h('a', { href: '/notifications', class: 'panel-foot', onclick: () => toggle(false) }, t('notifications.all')));
  container.append(button, panel);

  const show = (n) => {
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    button.setAttribute('aria-label', label());
  };
  unread.listeners.add(show);

  // A count read while a live notification arrives may predate it (pushes follow the commit):
  // such a load is followed by a fresh one, so a stale answer never overwrites a live increment.
  let inFlight = false;
  let stale = false;
  async function load(attempt = 1) {
    if (inFlight) {
      stale = true;
      return;
    }
    inFlight = true;
    stale = false;
    try {
      const [page, count] = await Promise.all([
        api('/api/notifications', { query: { limit: 10 } }),
        api('/api/notifications/unread-count'),
      ]);
      if (!stale) {
        setUnread(count.count);
        clear(list, page.items.length ? page.items.map((n) => item(n, () => toggle(false)))
          : h('li', { class: 'empty' }, t('notifications.none')));
        button.dataset.loaded = 'true';
      }
    } catch {
      // A busy server (503, 429) or a token being refreshed: try twice more, then the bell stays.
      if (attempt < 3) setTimeout(() => load(attempt + 1), 1000 * attempt);
    } finally {
      inFlight = false;
    }
    if (stale) load();
  }

  function toggle(force) {
    const opening = force ?? panel.hidden;
    panel.hidden = !opening;
    button.setAttribute('aria-expanded', String(opening));
    if (opening) {
      load();
      list.querySelector('a, button')?.focus();
    }
  }

  button.addEventListener('click', () => toggle());
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      toggle(false);
      button.focus();
    }
  });
  const outside = (event) => {
    if (!panel.hidden && !container.contains(event.target)) toggle(false);
  };
  document.addEventListener('click', outside);
  const offNew = realtime.on('notification:new', (notification) => {
    if (inFlight) stale = true;
    setUnread(unread.count + 1);
    list.querySelector('.empty')?.remove();
    list.prepend(item(notification, () => toggle(false)));
    const path = target(notification);
    toast(notification.title, { link: path || '/notifications' });
  });
  const offConnect = realtime.on('connect', () => load());
  load();
  return () => {
    unread.listeners.delete(show);
    document.removeEventListener('click', outside);
    offNew();
    offConnect();
  };
}

export async function notificationsView({ main }) {
  const list = h('ul', { class: 'notification-list page-list' });
  const more = h('button', { type: 'button', hidden: true }, t('list.more'));
  main.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('notifications.title')),
      h('button', { type: 'button', onclick: () => markAll().then(() => reload()).catch(() => {}) }, t('notifications.read_all'))),
    list, more));
  let offset = 0;
  const page = async () => {
    const answer = await api('/api/notifications', { query: { limit: 30, offset } });
    offset += answer.items.length;
    list.append(...answer.items.map((n) => item(n, () => {})));
    if (!list.children.length) list.append(h('li', { class: 'empty' }, t('notifications.none')));
    more.hidden = offset >= answer.total;
  };
  const reload = () => {
    offset = 0;
    list.replaceChildren();
    return page();
  };
  more.addEventListener('click', () => page());
  await reload().catch(() => list.append(h('li', { class: 'empty' }, t('error.generic'))));
  return realtime.on('notification:new', (notification) => {
    list.querySelector('.empty')?.remove();
    list.prepend(item(notification, () => {}));
  });
}
