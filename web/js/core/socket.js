// The live connection: the official socket.io-client 4.8.4 (web/vendor/socket.io-client/),
// same origin, WebSocket transport, `auth: {token}` read at every (re)connect.
//
// - A refused connect says why in `connect_error`'s `data.code`: `token_expired` -> refresh
//   the pair and connect again; anything else -> one refresh, else the session is over.
// - Before the access token expires the session refreshes it and the live socket takes the
//   new one with `auth:renew {token}`; `session:expired` (a renewal that came too late) ->
//   refresh, then the socket reconnects.
// - Every event gets an ack `{ok, ...}`; `emit` resolves with it or rejects with its error.
import { io } from '/static/vendor/socket.io-client/socket.io.esm.min.js';
import { session } from './session.js';

export class SocketError extends Error {
  constructor(code, message, errors = []) {
    super(message || code);
    this.code = code;
    this.errors = errors;
  }
}

let socket = null;
let sequence = 0;
const handlers = new Map();
const statusListeners = new Set();
let status = 'offline';
export const stats = { renewals: 0, reconnects: 0 };

function dispatch(event, data) {
  for (const fn of handlers.get(event) || []) {
    try {
      fn(data);
    } catch (error) {
      console.error(`handler of ${event} failed`, error);
    }
  }
}

function setStatus(next) {
  status = next;
  document.documentElement.dataset.socket = next;
  statusListeners.forEach((fn) => fn(next));
}

let refusals = [];

async function afterRefusal(code) {
  const now = Date.now();
  refusals = [...refusals.filter((at) => now - at < 30_000), now];
  if (refusals.length > 3) {
    setStatus('offline'); // refused again and again: stop rather than spin
    return code;
  }
  const stillSignedIn = await session.refresh();
  if (stillSignedIn && socket && !socket.connected) socket.connect();
  else if (!stillSignedIn) setStatus('offline');
  return code;
}

async function renew(token) {
  if (!socket?.connected || !token) return;
  try {
    await realtime.emit('auth:renew', { token });
    stats.renewals += 1;
    document.documentElement.dataset.renewals = String(stats.renewals);
  } catch (error) {
    if (error.code === 'invalid_token' && socket) socket.disconnect().connect();
  }
}

export const realtime = {
  get connected() {
    return Boolean(socket?.connected);
  },
  get status() {
    return status;
  },
  start() {
    if (socket || !session.signedIn) return;
    socket = io({
      path: '/socket.io/',
      transports: ['websocket'],
      auth: (cb) => cb({ token: session.access }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    let everConnected = false;
    socket.on('connect', () => {
      if (everConnected) stats.reconnects += 1;
      everConnected = true;
      setStatus('online');
      dispatch('connect', { reconnect: stats.reconnects > 0 });
    });
    socket.on('disconnect', (reason) => {
      setStatus('reconnecting');
      dispatch('disconnect', { reason });
      // The server closed this socket (its token expired, its session ended): it will not
      // come back on its own.
      if (reason === 'io server disconnect' && session.signedIn) {
        setTimeout(() => afterRefusal('server_disconnect'), 500);
      }
    });
    socket.on('connect_error', (error) => {
      const code = error?.data?.code;
      if (!code) {
        setStatus('reconnecting'); // the network: socket.io tries again by itself
        return;
      }
      setStatus('reconnecting');
      afterRefusal(code);
    });
    socket.on('session:expired', () => { session.refresh().catch(() => {}); });
    socket.onAny((event, data) => dispatch(event, data));
  },
  stop() {
    if (!socket) return;
    socket.removeAllListeners();
    socket.disconnect();
    socket = null;
    setStatus('offline');
  },
  /** Subscribe to a push (or 'connect' / 'disconnect'); returns the unsubscribe function. */
  on(event, fn) {
    if (!handlers.has(event)) handlers.set(event, new Set());
    handlers.get(event).add(fn);
    return () => handlers.get(event)?.delete(fn);
  },
  onStatus(fn) {
    statusListeners.add(fn);
    return () => statusListeners.delete(fn);
  },
  /** Send an event and wait for its ack. */
  emit(event, data = {}, timeout = 10_000) {
    return new Promise((resolve, reject) => {
      if (!socket) {
        reject(new SocketError('not_connected', 'Not connected.'));
        return;
      }
      sequence += 1;
      const payload = { ...data, request_id: `c${sequence}` };
      socket.timeout(timeout).emit(event, payload, (error, ack) => {
        if (error) reject(new SocketError('timeout', 'No answer from the server.'));
        else if (ack && ack.ok) resolve(ack);
        else reject(new SocketError(ack?.error?.code || 'error', ack?.error?.message, ack?.error?.errors || []));
      });
    });
  },
  /** Resolves once the socket is connected. */
  ready(timeout = 15_000) {
    if (socket?.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new SocketError('timeout', 'Not connected.')); }, timeout);
      const off = realtime.on('connect', () => { clearTimeout(timer); off(); resolve(); });
    });
  },
  /** For diagnostics and tests: the underlying socket.io socket. */
  get socket() {
    return socket;
  },
};

session.onChange((reason, state) => {
  if (reason === 'renewed') renew(state?.access);
  else if (reason === 'signed-out' || reason === 'expired') realtime.stop();
});
