// Names of the people this user deals with, learned from what the API already returns
// (conversations, calls, meetings, the company's users for an admin): the API has no
// directory a recruiter or an employer may read.
import { api } from './api.js';
import { personName, t } from './i18n.js';
import { session } from './session.js';

const known = new Map(); // user id -> {first, last} or {display}

export function remember(id, person) {
  if (!id || !person) return;
  const previous = known.get(id);
  if (previous?.first && !person.first) return; // keep the two-part name
  known.set(id, person);
}

export function rememberUser(user) {
  if (user) remember(user.id, { first: user.first_name, last: user.last_name });
}

export function nameOf(id) {
  const person = known.get(Number(id));
  if (!person) return t('people.unknown', { id });
  return person.first || person.last ? personName(person.first, person.last) : person.display;
}

export function knows(id) {
  return known.has(Number(id));
}

async function quietly(work) {
  try {
    return await work();
  } catch {
    return null;
  }
}

/** Everyone this user may plausibly write to: [{id, name}], without themselves. */
export async function contacts() {
  const me = session.user?.id;
  const [conversations, users, calls, meetings, interviews] = await Promise.all([
    quietly(() => api('/api/messages/conversations', { query: { limit: 100 } })),
    quietly(() => api('/api/users', { query: { limit: 200, is_active: true } })),
    quietly(() => api('/api/video-calls', { query: { limit: 50, sort: '-scheduled_start' } })),
    quietly(() => api('/api/meetings', { query: { limit: 50, sort: '-scheduled_start' } })),
    quietly(() => api('/api/interviews', { query: { limit: 50 } })),
  ]);
  const ids = new Set();
  for (const c of conversations?.items || []) {
    remember(c.counterpart.id, { first: c.counterpart.first_name, last: c.counterpart.last_name });
    ids.add(c.counterpart.id);
  }
  for (const u of users?.items || []) {
    rememberUser(u);
    ids.add(u.id);
  }
  for (const call of calls?.items || []) {
    for (const p of call.participants || []) {
      if (p.user_id) {
        remember(p.user_id, { display: p.display_name });
        ids.add(p.user_id);
      }
    }
  }
  for (const meeting of meetings?.items || []) {
    for (const p of meeting.participants || []) {
      remember(p.user_id, { first: p.first_name, last: p.last_name });
      ids.add(p.user_id);
    }
  }
  for (const interview of interviews?.items || []) {
    for (const id of [interview.candidate_id, interview.recruiter_id]) if (id) ids.add(id);
  }
  ids.delete(me);
  return [...ids].map((id) => ({ id, name: nameOf(id) })).sort((a, b) => a.name.localeCompare(b.name));
}

const candidates = new Map(); // candidate id -> CandidateOut, or null when not readable

/** A candidate as `GET /api/candidates/{id}` shows them to this user (null when unseen); their
 * name is remembered for `nameOf`. */
export async function candidate(id) {
  const key = Number(id);
  if (!key) return null;
  if (candidates.has(key)) return candidates.get(key);
  let found = null;
  try {
    found = await api(`/api/candidates/${key}`);
    remember(key, { first: found.first_name, last: found.last_name });
  } catch {
    found = null;
  }
  candidates.set(key, found);
  return found;
}

export function rememberCandidate(found) {
  if (!found?.id) return;
  candidates.set(found.id, found);
  remember(found.id, { first: found.first_name, last: found.last_name });
}

session.onChange((reason) => {
  if (reason === 'signed-in' || reason === 'signed-out' || reason === 'expired') candidates.clear();
});
