// One conversation: its messages (older ones on demand), live `message:new`, the typing
// indicator, read receipts, and files.
//
// A message carries its files (`files`, as `/api/attachments` lists them), in the thread loaded
// over REST as in the live `message:new`: both draw from that list alone. The files are
// uploaded onto the sent message (`/api/attachments`, entity type `message`), so a message that
// just arrived may name files still on their way: its text names them on lines that begin with
// FILE_MARK, shown as pending until the message, read again, lists them.
import { api, download } from '../core/api.js';
import { h, icon, toast, uid } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { nameOf } from '../core/people.js';
import { session } from '../core/session.js';
import { realtime } from '../core/socket.js';
import { problem } from './auth.js';

export const FILE_MARK = '📎 ';
const TYPING_EVERY = 4_000;
const TYPING_SHOWN = 6_000;

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const FILES_LATE = 60_000;
const LATE_RETRIES = [1_000, 2_000, 4_000, 10_000];

function split(content) {
  const lines = String(content || '').split('\n');
  return {
    text: lines.filter((l) => !l.startsWith(FILE_MARK)).join('\n').trim(),
    files: lines.filter((l) => l.startsWith(FILE_MARK)).map((l) => l.slice(FILE_MARK.length)),
  };
}

/** It names files (FILE_MARK lines) and lists none yet. */
function waiting(message) {
  return !message.files?.length && split(message.content).files.length > 0;
}

export async function sendMessage(payload) {
  if (realtime.connected) {
    try {
      return (await realtime.emit('message:send', payload)).message;
    } catch (error) {
      if (error.code !== 'timeout' && error.code !== 'not_connected') throw error;
    }
  }
  return api('/api/messages', { method: 'POST', body: payload }); // same nonce: never twice
}

/** Draw the thread with `counterpart` into `box`; returns {onMessage, onRead, onTyping, close}. */
export async function thread(box, counterpart, { onRead }) {
  const me = session.user?.id;
  const list = h('ol', { class: 'message-list', role: 'log', 'aria-label': t('messages.thread_with', { name: nameOf(counterpart) }) });
  const older = h('button', { type: 'button', class: 'link older', hidden: true }, t('messages.older'));
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const input = h('textarea', { id: 'composer-text', name: 'content', rows: 2, maxlength: 20000, placeholder: t('messages.placeholder') });
  const fileInput = h('input', { id: 'composer-files', type: 'file', multiple: true, class: 'sr-only' });
  const chosen = h('span', { class: 'chosen' });
  const form = h('form', { class: 'composer' },
    h('label', { for: 'composer-text', class: 'sr-only' }, t('messages.placeholder')),
    input,
    h('div', { class: 'composer-tools' },
      fileInput, h('label', { for: 'composer-files', class: 'button' }, t('messages.attach')), chosen,
      h('button', { type: 'submit', class: 'primary' }, t('messages.send'))));
  box.append(older, list, typing, form);
  const byId = new Map();
  const byNonce = new Map();
  let cursor = null;
  let typingSentAt = 0;
  let typingStop = null;
  let typingHide = null;

  function status(message) {
    if (message.sender_id !== me) return null;
    if (message.failed) {
      return h('span', { class: 'status failed' }, t('messages.failed'), ' ',
        h('button', { type: 'button', class: 'link', onclick: () => deliver(message) }, t('messages.retry')));
    }
    if (!message.id) return h('span', { class: 'status' }, t('messages.sending'));
    return h('span', { class: `status${message.is_read ? ' read' : ''}`, dataset: { status: message.is_read ? 'read' : 'sent' } },
      message.is_read ? t('messages.read') : t('messages.sent'));
  }

  function fileButton(file) {
    return h('li', {},
      h('button', { type: 'button', class: 'file', onclick: () => download(file.download_url, file.filename).catch((e) => toast(problem(e), { kind: 'error' })) },
        icon('clip'), file.filename, h('span', { class: 'size' }, ` (${size(file.file_size)})`)));
  }

  function draw(message) {
    const { text, files: names } = split(message.content);
    const mine = message.sender_id === me;
    const fileList = h('ul', { class: 'files' }, message.files?.length
      ? message.files.map(fileButton)
      : names.map((name) => h('li', { class: 'file-pending' }, icon('clip'), name)));
    const el = h('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, dataset: { id: message.id || '', nonce: message.client_nonce || '' } },
      h('span', { class: 'sr-only' }, mine ? t('messages.you') : nameOf(message.sender_id)),
      h('div', { class: 'bubble' }, text ? h('p', { class: 'content' }, text) : null, names.length || message.files?.length ? fileList : null),
      h('div', { class: 'meta' }, h('time', { datetime: message.created_at }, fmt.short(message.created_at)), status(message)));
    el.message = message;
    return el;
  }

  function place(message, { atTop = false } = {}) {
    const previous = (message.id && byId.get(message.id)) || (message.client_nonce && byNonce.get(message.client_nonce));
    if (previous?.message.files?.length && !message.files?.length) message.files = previous.message.files;
    const el = draw(message);
    if (previous) previous.replaceWith(el);
    else if (atTop) list.prepend(el);
    else list.append(el);
    if (message.id) byId.set(message.id, el);
    if (message.client_nonce) byNonce.set(message.client_nonce, el);
    return el;
  }

  /** A message naming files it does not list yet: read it again after each of `retries` ms
   * until it does (they are uploaded after the message is sent). */
  async function awaitFiles(id, retries) {
    for (const wait of retries) {
      const current = byId.get(id)?.message;
      if (!current || !waiting(current)) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      let fresh;
      try {
        fresh = await api(`/api/messages/${id}`);
      } catch {
        return;
      }
      if (fresh.files.length && byId.get(id)) {
        place({ ...byId.get(id).message, files: fresh.files });
        return;
      }
    }
  }

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
  }

  async function loadPage() {
    const page = await api(`/api/messages/with/${counterpart}`, { query: { limit: 30, cursor } });
    const atTop = cursor !== null;
    for (const message of atTop ? page.items : [...page.items].reverse()) {
      place(message, { atTop });
      // Files come with the message; only one sent a moment ago may still be uploading them.
      if (waiting(message) && Date.now() - Date.parse(message.created_at) < FILES_LATE) awaitFiles(message.id, LATE_RETRIES);
    }
    cursor = page.next_cursor;
    older.hidden = !cursor;
  }

  function markRead() {
    const unread = [...byId.values()].map((el) => el.message).filter((m) => m.sender_id === counterpart && !m.is_read);
    if (!unread.length) return;
    const last = unread.reduce((a, b) => (a.id > b.id ? a : b));
    unread.forEach((m) => { m.is_read = true; });
    const body = { message_id: last.id, up_to: true };
    const done = realtime.connected ? realtime.emit('message:read', body) : api('/api/messages/read', { method: 'POST', body });
    done.catch(() => {});
    onRead(unread.length);
  }

  async function deliver(message) {
    message.failed = false;
    place(message);
    try {
      const stored = await sendMessage({ to: counterpart, content: message.content, client_nonce: message.client_nonce });
      place({ ...stored, pendingFiles: message.pendingFiles });
      for (const file of message.pendingFiles || []) {
        const form = new FormData();
        form.append('file', file);
        form.append('entity_type', 'message');
        form.append('entity_id', String(stored.id));
        await api('/api/attachments', { method: 'POST', form }).catch((error) => toast(problem(error), { kind: 'error' }));
      }
      if (message.pendingFiles?.length) awaitFiles(stored.id, [0]);
    } catch (error) {
      message.failed = true;
      place(message);
      toast(problem(error), { kind: 'error' });
    }
  }

  function stopTyping() {
    clearTimeout(typingStop);
    if (typingSentAt) {
      typingSentAt = 0;
      realtime.emit('typing:stop', { to: counterpart }).catch(() => {});
    }
  }

  input.addEventListener('input', () => {
    if (!realtime.connected) return;
    if (Date.now() - typingSentAt > TYPING_EVERY) {
      typingSentAt = Date.now();
      realtime.emit('typing:start', { to: counterpart }).catch(() => {});
    }
    clearTimeout(typingStop);
    typingStop = setTimeout(stopTyping, 3_000);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  fileInput.addEventListener('change', () => {
    chosen.textContent = [...fileInput.files].map((f) => f.name).join(', ');
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = [...fileInput.files];
    const text = input.value.trim();
    if (!text && !picked.length) return;
    const content = [text, ...picked.map((f) => `${FILE_MARK}${f.name}`)].filter(Boolean).join('\n');
    input.value = '';
    fileInput.value = '';
    chosen.textContent = '';
    stopTyping();
    deliver({ sender_id: me, recipient_id: counterpart, content, client_nonce: uid(), created_at: new Date().toISOString(), pendingFiles: picked });
    scrollDown();
    input.focus();
  });
  older.addEventListener('click', () => loadPage().catch(() => {}));

  try {
    await loadPage();
  } catch (error) {
    list.append(h('li', { class: 'empty' }, problem(error)));
  }
  scrollDown();
  markRead();

  return {
    /** A message of this thread arrived (live, or caught up after a reconnect). */
    onMessage(message) {
      const known = byId.get(message.id) || (message.client_nonce && byNonce.get(message.client_nonce));
      place(message);
      if (!known) awaitFiles(message.id, LATE_RETRIES);
      if (message.sender_id === counterpart) {
        typing.textContent = '';
        markRead();
      }
      scrollDown();
    },
    onReceipt(receipt) {
      if (receipt.reader_id !== counterpart) return;
      for (const id of receipt.message_ids) {
        const el = byId.get(id);
        if (el && !el.message.is_read) place({ ...el.message, is_read: true, read_at: receipt.read_at });
      }
    },
    onTyping(signal) {
      if (signal.from !== counterpart) return;
      clearTimeout(typingHide);
      typing.textContent = signal.typing ? t('messages.typing', { name: nameOf(counterpart) }) : '';
      if (signal.typing) typingHide = setTimeout(() => { typing.textContent = ''; }, TYPING_SHOWN);
    },
    focus: () => input.focus(),
    close() {
      stopTyping();
      clearTimeout(typingHide);
    },
  };
}
