// Conversations (one per counterpart: last message, unread count, presence) beside the open
// thread. Live: `message:new`, `message:read`, `typing`, `presence`; after a reconnect, what
// was missed comes from `/api/messages/since`.
import { api } from '../core/api.js';
import { badges, viewing } from '../core/badges.js';
import { clear, h } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { contacts, knows, nameOf, remember } from '../core/people.js';
import { navigate } from '../core/router.js';
import { session } from '../core/session.js';
import { realtime } from '../core/socket.js';
import { thread } from './thread.js';

const PRESENCE_POLL = 60_000;

function presenceDot(status = 'offline') {
  return h('span', { class: `presence ${status}`, title: t(`presence.${status}`) },
    h('span', { class: 'sr-only' }, t(`presence.${status}`)));
}

export async function messagesView({ main, params }) {
  const me = session.user?.id;
  const counterpart = params.counterpart ? Number(params.counterpart) : null;
  const rows = h('ul', { class: 'conversation-list' });
  const pane = h('div', { class: 'thread' });
  const picker = h('form', { class: 'new-message', hidden: true });
  const layout = h('section', { class: 'page messages', dataset: { open: counterpart ? 'thread' : 'list' } },
    h('aside', { class: 'conversations', 'aria-label': t('messages.conversations') },
      h('div', { class: 'page-head' },
        h('h1', {}, t('messages.title')),
        h('button', { type: 'button', onclick: () => openPicker() }, t('messages.new'))),
      picker, rows),
    pane);
  main.append(layout);

  let conversations = [];
  const presence = new Map();
  let lastId = 0;
  let open = null;
  viewing.counterpart = counterpart;

  function see(message) {
    lastId = Math.max(lastId, message.id || 0);
  }

  function drawRows() {
    if (!conversations.length) {
      clear(rows, h('li', { class: 'empty' }, t('messages.none')));
      return;
    }
    clear(rows, conversations.map((c) => {
      const last = c.last_message;
      const preview = String(last.content || '').split('\n')[0];
      return h('li', {},
        h('a', {
          href: `/messages/${c.counterpart.id}`, class: `conversation${c.counterpart.id === counterpart ? ' current' : ''}`,
          'aria-current': c.counterpart.id === counterpart ? 'page' : null, dataset: { counterpart: c.counterpart.id },
        },
        presenceDot(presence.get(c.counterpart.id)),
        h('span', { class: 'c-name' }, nameOf(c.counterpart.id)),
        h('time', { datetime: last.created_at }, fmt.short(last.created_at)),
        h('span', { class: 'c-preview' }, last.sender_id === me ? `${t('messages.you')}: ${preview}` : preview),
        c.unread_count ? h('span', { class: 'badge', dataset: { unread: c.unread_count } }, String(c.unread_count),
          h('span', { class: 'sr-only' }, ` ${t('messages.unread', { n: c.unread_count })}`)) : null));
    }));
  }

  async function loadConversations() {
    const page = await api('/api/messages/conversations', { query: { limit: 100 } });
    conversations = page.items;
    for (const c of conversations) {
      remember(c.counterpart.id, { first: c.counterpart.first_name, last: c.counterpart.last_name });
      see(c.last_message);
    }
    badges.setMessages(conversations.reduce((sum, c) => sum + c.unread_count, 0));
    drawRows();
    await loadPresence();
  }

  async function loadPresence() {
    const ids = [...new Set([...conversations.map((c) => c.counterpart.id), counterpart].filter(Boolean))].slice(0, 100);
    if (!ids.length) return;
    try {
      for (const p of await api('/api/presence', { query: { user_id: ids } })) presence.set(p.user_id, p.status);
      drawRows();
      drawHeader();
    } catch {
      // presence is a nicety
    }
  }

  function drawHeader() {
    const head = pane.querySelector('.thread-head');
    if (!head || !counterpart) return;
    clear(head,
      h('a', { href: '/messages', class: 'back' }, `← ${t('messages.conversations')}`),
      h('h2', {}, presenceDot(presence.get(counterpart)), nameOf(counterpart)));
  }

  function onMessage(message) {
    see(message);
    const other = message.sender_id === me ? message.recipient_id : message.sender_id;
    const fromThem = message.sender_id !== me;
    const row = conversations.find((c) => c.counterpart.id === other);
    const reading = other === counterpart && !document.hidden;
    if (row) {
      row.last_message = message;
      if (fromThem && !reading) row.unread_count += 1;
      conversations = [row, ...conversations.filter((c) => c !== row)];
    } else {
      conversations.unshift({ counterpart: { id: other }, last_message: message, unread_count: fromThem && !reading ? 1 : 0 });
    }
    drawRows();
    if (!knows(other)) loadConversations().then(drawHeader).catch(() => {}); // learn their name
    if (other === counterpart && open) open.onMessage(message);
  }

  async function catchUp() {
    let cursor = lastId;
    for (let pages = 0; pages < 5 && cursor; pages += 1) {
      const page = await api('/api/messages/since', { query: { cursor, limit: 100 } });
      page.items.forEach(onMessage);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
  }

  async function openPicker() {
    picker.hidden = false;
    clear(picker, h('p', {}, t('loading')));
    const people = await contacts();
    const select = h('select', { id: 'new-to', name: 'to', required: true },
      h('option', { value: '' }, t('messages.choose')),
      people.map((p) => h('option', { value: p.id }, p.name)));
    clear(picker,
      h('label', { for: 'new-to' }, t('messages.to')), select,
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'primary' }, t('messages.open')),
        h('button', { type: 'button', onclick: () => { picker.hidden = true; } }, t('cancel'))));
    if (!people.length) picker.prepend(h('p', { class: 'hint' }, t('messages.nobody')));
    select.focus();
  }
  picker.addEventListener('submit', (event) => {
    event.preventDefault();
    if (picker.to.value) navigate(`/messages/${picker.to.value}`);
  });

  await loadConversations().catch(() => clear(rows, h('li', { class: 'empty' }, t('error.generic'))));

  if (counterpart) {
    if (!knows(counterpart)) await contacts().catch(() => []);
    pane.append(h('div', { class: 'thread-head' }));
    drawHeader();
    open = await thread(pane, counterpart, {
      onRead: (n) => {
        const row = conversations.find((c) => c.counterpart.id === counterpart);
        if (row) {
          badges.addMessages(-Math.min(n, row.unread_count));
          row.unread_count = 0;
          drawRows();
        }
      },
    });
  } else {
    pane.append(h('p', { class: 'empty thread-empty' }, t('messages.pick')));
  }

  const offs = [
    realtime.on('message:new', onMessage),
    realtime.on('message:read', (receipt) => open?.onReceipt(receipt)),
    realtime.on('typing', (signal) => open?.onTyping(signal)),
    realtime.on('presence', (p) => {
      presence.set(p.user_id, p.status);
      drawRows();
      drawHeader();
    }),
    realtime.on('connect', ({ reconnect }) => {
      if (reconnect) catchUp().then(loadPresence).catch(() => {});
    }),
  ];
  const poll = setInterval(() => loadPresence(), PRESENCE_POLL);
  return () => {
    offs.forEach((off) => off());
    clearInterval(poll);
    open?.close();
    viewing.counterpart = null;
  };
}
