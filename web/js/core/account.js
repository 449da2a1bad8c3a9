// What the signed-in person is: their roles and their company's kind, as `/api/auth/me` says
// (read once per signed-in user). Only the pages and the navigation use it; the API decides.
import { api } from './api.js';
import { session } from './session.js';

let cached = null; // {userId, me}

export function roles() {
  return new Set(session.user?.roles || []);
}

/** Recruiters and admins of any company (employers' staff see the candidates proposed to them). */
export function seesDirectory() {
  const mine = roles();
  return ['system_admin', 'company_admin', 'recruiter', 'employer'].some((role) => mine.has(role));
}

export function isCandidate() {
  return roles().has('candidate') && !seesDirectory();
}

/** `/api/auth/me` of the signed-in user, or null. */
export async function me() {
  const userId = session.user?.id;
  if (cached && cached.userId === userId) return cached.me;
  try {
    const answer = await api('/api/auth/me');
    cached = { userId: answer.user.id, me: answer };
    return answer;
  } catch {
    return null;
  }
}

/** A recruiter or company admin of an agency (or a system admin): registers candidates, edits
 * their resumes, proposes them to positions. */
export async function isAgencyStaff() {
  const answer = await me();
  if (!answer) return false;
  const mine = new Set(answer.roles || []);
  if (mine.has('system_admin')) return true;
  return answer.company?.type === 'RECRUITING_AGENCY' && (mine.has('recruiter') || mine.has('company_admin'));
}
