// REST calls to /api: the bearer token, the one error shape, one retry after a refresh.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, body = {}, retryAfter = null) {
    super(body.detail || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || (status === 0 ? 'network_error' : 'error');
    this.detail = body.detail || '';
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.retryAfter = retryAfter;
  }
}

function url(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, body, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/**
 * `api('/api/todos', {query: {limit: 5}})`, `api(path, {method: 'POST', body})`,
 * `api(path, {method: 'POST', form})` (multipart), `{blob: true}` for a file.
 */
export async function api(path, { method = 'GET', body, form, query, auth = true, blob = false, raw = false } = {}, retried = false) {
  const headers = { Accept: 'application/json' };
  if (auth) {
    const token = await session.token();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network_error' });
  }
  if (response.status === 401 && auth && session.signedIn && !retried) {
    if (await session.refresh()) return api(path, { method, body, form, query, auth, blob, raw }, true);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && auth) session.expire();
    throw error;
  }
  if (raw) return response;
  if (blob) return response.blob();
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The file name a `Content-Disposition` header gives (`filename*=UTF-8''…` first). */
export function dispositionName(header) {
  if (!header) return '';
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : '';
}

/** Download a file the API serves with authorization, under its own name (the given one, or
 * the one the server names in `Content-Disposition`). */
export async function download(path, filename) {
  const response = await api(path, { raw: true });
  const data = await response.blob();
  const href = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = href;
  link.download = filename || dispositionName(response.headers.get('Content-Disposition')) || '';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
