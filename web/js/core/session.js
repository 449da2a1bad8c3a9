// The signed-in session: the token pair in localStorage (shared by the browser's tabs), and
// its refresh shortly before the access token expires.
//
// A refresh token is rotated by every refresh, and presenting a rotated one ends the whole
// session (reuse detection), so two tabs must never refresh with the same token: a refresh
// takes a Web Lock, re-reads the stored pair, and uses what another tab stored if that one is
// still fresh. Tabs hear each other's changes through the `storage` event.

const KEY = 'mw.session';
const LOCK = 'mw.session.refresh';

let state = read();
let timer = null;
let inflight = null;
const listeners = new Set();

function read() {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) || 'null');
    return raw && raw.access && raw.refresh ? raw : null;
  } catch {
    return null;
  }
}

function write(next) {
  state = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
}

/** How long before expiry a token is renewed: a quarter of its life, at most a minute. */
function lead(s) {
  return Math.min(60_000, (s.lifetime || 900_000) / 4);
}

function schedule() {
  clearTimeout(timer);
  timer = null;
  if (!state) return;
  const wait = Math.max(1_000, state.expiresAt - lead(state) - Date.now());
  timer = setTimeout(() => { refresh().catch(() => {}); }, wait);
}

function emit(reason) {
  schedule();
  listeners.forEach((fn) => fn(reason, state));
}

function fromPair(pair) {
  const lifetime = Number(pair.expires_in || 900) * 1000;
  return {
    access: pair.access_token,
    refresh: pair.refresh_token,
    expiresAt: Date.now() + lifetime,
    lifetime,
    user: pair.user || state?.user || null,
  };
}

async function withLock(work) {
  if (navigator.locks?.request) return navigator.locks.request(LOCK, work);
  return work();
}

async function post(path, body, token) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
}

/** Renew the pair; true when this session is still signed in afterwards. */
export function refresh() {
  if (!state) return Promise.resolve(false);
  if (!inflight) {
    inflight = withLock(async () => {
      const stored = read();
      if (!stored) {
        write(null);
        emit('signed-out');
        return false;
      }
      if (stored.refresh !== state?.refresh && stored.expiresAt - lead(stored) > Date.now()) {
        state = stored; // another tab refreshed already
        emit('renewed');
        return true;
      }
      let response;
      try {
        response = await post('/api/auth/refresh', { refresh_token: stored.refresh });
      } catch {
        clearTimeout(timer); // offline: try again soon, still signed in
        timer = setTimeout(() => { refresh().catch(() => {}); }, 10_000);
        return true;
      }
      if (response.ok) {
        write(fromPair(await response.json()));
        emit('renewed');
        return true;
      }
      if (response.status === 429 || response.status >= 500) {
        clearTimeout(timer);
        timer = setTimeout(() => { refresh().catch(() => {}); }, 15_000);
        return true;
      }
      write(null);
      emit('expired');
      return false;
    }).finally(() => { inflight = null; });
  }
  return inflight;
}

export const session = {
  get signedIn() {
    return Boolean(state);
  },
  get user() {
    return state?.user || null;
  },
  get access() {
    return state?.access || null;
  },
  /** Called with (reason, state): 'signed-in', 'renewed', 'signed-out', 'expired', 'user'. */
  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  adopt(pair) {
    write(fromPair(pair));
    emit('signed-in');
  },
  setUser(user) {
    if (!state) return;
    write({ ...state, user });
    listeners.forEach((fn) => fn('user', state));
  },
  refresh,
  /** An access token good for at least 30 more seconds. */
  async token() {
    if (state && state.expiresAt - Date.now() < 30_000) await refresh();
    return state?.access || null;
  },
  /** Sign out here and at the server (`all`: every device). */
  async signOut({ all = false } = {}) {
    const token = state?.access;
    write(null);
    emit('signed-out');
    if (token) {
      try {
        await post('/api/auth/logout', all ? { all_sessions: true } : null, token);
      } catch {
        // the server ends the session on its own when the tokens expire
      }
    }
  },
  /** The server refused this session: forget it without calling out. */
  expire() {
    if (!state) return;
    write(null);
    emit('expired');
  },
};

window.addEventListener('storage', (event) => {
  if (event.key !== KEY && event.key !== null) return;
  const before = state;
  state = read();
  if (!state && before) emit('signed-out');
  else if (state && !before) emit('signed-in');
  else if (state && before && state.access !== before.access) emit('renewed');
});

document.addEventListener('visibilitychange', () => {
  // Timers of hidden tabs run late: check as soon as the tab is seen again.
  if (!document.hidden && state && state.expiresAt - lead(state) < Date.now()) refresh().catch(() => {});
});

schedule();
