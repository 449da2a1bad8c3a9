// History-API routing: same-origin links are followed without a page load, and each route's
// view draws into <main>. A view may return a function that undoes what it started (socket
// subscriptions, timers, the camera), called before the next view draws.
import { clear } from './dom.js';

const routes = [];
let cleanup = null;
let guard = null;
let renderId = 0;

/** `route('/interviews/:id', view, {public: true})`. */
export function route(pattern, view, options = {}) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, view, options });
}

/** `fn(match) -> path | null`: a path to go to instead (sign-in), or null to draw. */
export function setGuard(fn) {
  guard = fn;
}

export function currentPath() {
  return `${location.pathname}${location.search}`;
}

/** Only paths of this client: never another origin, a protocol-relative or a script URL. */
export function internalPath(target) {
  if (typeof target !== 'string' || !target) return null;
  try {
    const parsed = new URL(target, location.origin);
    if (parsed.origin !== location.origin || !/^https?:$/.test(parsed.protocol)) return null;
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return null;
  }
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function match(pathname) {
  for (const candidate of routes) {
    const found = candidate.regex.exec(pathname);
    if (found) {
      const params = {};
      candidate.names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]); });
      return { ...candidate, params };
    }
  }
  return null;
}

export async function render() {
  const id = ++renderId;
  const main = document.getElementById('main');
  const found = match(location.pathname) || match('/404');
  const redirect = guard ? guard(found) : null;
  if (redirect) {
    history.replaceState(null, '', redirect);
    render();
    return;
  }
  if (cleanup) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
    cleanup = null;
  }
  clear(main);
  main.dataset.route = found?.options?.name || '';
  const query = Object.fromEntries(new URLSearchParams(location.search));
  try {
    const undo = await found.view({ main, params: found.params, query, isCurrent: () => id === renderId });
    if (id !== renderId) {
      if (typeof undo === 'function') undo();
      return;
    }
    cleanup = typeof undo === 'function' ? undo : null;
  } catch (error) {
    console.error(error);
  }
  if (id === renderId) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      document.title = `${heading.textContent} · MiraiWorks`;
      if (document.activeElement === document.body || !main.contains(document.activeElement)) {
        heading.focus({ preventScroll: true });
      }
    }
  }
}

export function start() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download') || link.dataset.external !== undefined) return;
    const path = internalPath(link.getAttribute('href'));
    if (!path || path.startsWith('/api/') || path.startsWith('/schema') || path.startsWith('/static/')) return;
    event.preventDefault();
    if (path !== currentPath()) navigate(path);
  });
  window.addEventListener('popstate', () => render());
  render();
}
