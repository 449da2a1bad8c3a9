// The candidate directory (an agency's recruiters and admins: search by name, email or skill,
// register a candidate; an employer's staff: the candidates proposed to them) and one
// candidate's page: details, resumes, interviews, and proposing them to a published position.
// What each person sees is the API's decision (README, "Candidates and proposals"): the pages
// show what comes.
import { isAgencyStaff } from '../core/account.js';
import { api } from '../core/api.js';
import { busy, clear, h, toast } from '../core/dom.js';
import { fmt, personName, t } from '../core/i18n.js';
import { rememberCandidate } from '../core/people.js';
import { navigate } from '../core/router.js';
import { session } from '../core/session.js';
import { problem } from './auth.js';
import { interviewRow } from './records.js';

export function chip(kind, value) {
  return h('span', { class: `chip ${kind}-${value}` }, t(`${kind}.${value}`));
}

export function missing(main, title) {
  main.append(h('section', { class: 'page narrow' }, h('h1', {}, title), h('p', { role: 'alert' }, t('record.missing'))));
}

export function fullName(person) {
  return personName(person.first_name, person.last_name);
}

function field(label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input,
    hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null);
}

function candidateRow(person) {
  const contact = [person.email, person.phone].filter(Boolean).join(' · ');
  return h('li', { class: 'person-row', dataset: { candidate: person.id } },
    h('a', { href: `/candidates/${person.id}`, class: 'what' }, fullName(person)),
    contact ? h('span', { class: 'contact' }, contact) : null,
    person.is_active ? null : h('span', { class: 'chip' }, t('candidates.inactive')));
}

function registerForm({ onCreated, onClose }) {
  const input = (name, attrs = {}) => h('input', { id: `register-${name}`, name, maxlength: 100, ...attrs });
  const last = input('last_name', { required: true, autocomplete: 'off' });
  const first = input('first_name', { required: true, autocomplete: 'off' });
  const email = input('email', { type: 'email', required: true, maxlength: 255, autocomplete: 'off' });
  const phone = input('phone', { type: 'tel', maxlength: 50, autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', {
    class: 'stack card', id: 'candidate-register', 'aria-labelledby': 'candidate-register-title',
    onkeydown: (event) => { if (event.key === 'Escape') onClose(); },
  },
    h('h2', { id: 'candidate-register-title' }, t('candidates.register')),
    h('p', { class: 'hint' }, t('candidates.register_hint')),
    h('div', { class: 'fields' },
      field(t('candidates.last_name'), last), field(t('candidates.first_name'), first),
      field(t('candidates.email'), email), field(t('candidates.phone'), phone)),
    error,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('candidates.register_submit')),
      h('button', { type: 'button', onclick: onClose }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const created = await busy(form, () => api('/api/candidates', {
        method: 'POST',
        body: { last_name: last.value.trim(), first_name: first.value.trim(), email: email.value.trim(), phone: phone.value.trim() || null },
      }));
      onCreated(created);
    } catch (failure) {
      error.textContent = problem(failure);
      error.hidden = false;
    }
  });
  setTimeout(() => last.focus());
  return form;
}

export async function candidatesView({ main, query }) {
  const staff = await isAgencyStaff();
  const q = h('input', {
    type: 'search', id: 'candidate-q', name: 'q', value: query.q || '', maxlength: 100, 'aria-describedby': 'candidate-q-hint',
  });
  const results = h('div', { id: 'candidate-results' });
  const status = h('p', { class: 'hint', role: 'status' });
  const creating = h('div');
  const newButton = staff ? h('button', {
    type: 'button', class: 'primary', id: 'candidate-new', 'aria-expanded': 'false', 'aria-controls': 'candidate-register',
    onclick: () => {
      const open = newButton.getAttribute('aria-expanded') === 'true';
      newButton.setAttribute('aria-expanded', String(!open));
      if (open) {
        clear(creating);
        return;
      }
      clear(creating, registerForm({
        onCreated: (created) => {
          rememberCandidate(created);
          toast(t('candidates.registered', { name: fullName(created) }));
          navigate(`/candidates/${created.id}`);
        },
        onClose: () => {
          newButton.setAttribute('aria-expanded', 'false');
          clear(creating);
          newButton.focus();
        },
      }));
    },
  }, t('candidates.new')) : null;
  const form = h('form', { class: 'search', role: 'search', 'aria-label': t('candidates.search') },
    h('label', { for: 'candidate-q' }, t('candidates.search')),
    h('div', { class: 'row' }, q, h('button', { type: 'submit' }, t('candidates.search_submit'))),
    h('p', { class: 'hint', id: 'candidate-q-hint' }, t('candidates.search_hint')));
  main.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('candidates.title')), newButton),
    staff ? null : h('p', { class: 'hint' }, t('candidates.employer_hint')),
    creating, h('div', { class: 'card stack' }, form, status, results)));
  let offset = 0;
  const items = [];
  const load = async (more = false) => {
    if (!more) {
      offset = 0;
      items.length = 0;
    }
    let page;
    try {
      page = await api('/api/candidates', { query: { q: q.value.trim() || null, limit: 50, offset, sort: 'last_name' } });
    } catch (failure) {
      clear(results, h('p', { class: 'form-error', role: 'alert' }, problem(failure)));
      return;
    }
    page.items.forEach(rememberCandidate);
    items.push(...page.items);
    offset += page.items.length;
    status.textContent = t('candidates.found', { n: page.total });
    clear(results,
      items.length ? h('ul', { class: 'rows people-list' }, items.map(candidateRow)) : h('p', { class: 'empty' }, t('candidates.none')),
      page.total > items.length ? h('button', { type: 'button', onclick: () => load(true) }, t('list.more')) : null);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = q.value.trim();
    history.replaceState(null, '', text ? `/candidates?q=${encodeURIComponent(text)}` : '/candidates');
    load();
  });
  await load();
}

function resumeRow(resume) {
  return h('li', { class: 'person-row', dataset: { resume: resume.id } },
    h('a', { href: `/resumes/${resume.id}`, class: 'what' }, resume.title),
    h('span', { class: 'chips' }, chip('resume_status', resume.status), ' ', chip('visibility', resume.visibility)),
    h('span', { class: 'contact' }, t('resume.updated', { when: fmt.date(resume.updated_at) })));
}

/** A new resume: the candidate's own (`userId` null) or a candidate's, by their agency. */
export function newResumeForm({ userId = null, onClose }) {
  const title = h('input', { id: 'resume-new-title', name: 'title', required: true, maxlength: 255 });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', {
    class: 'stack card inset', id: 'resume-new',
    onkeydown: (event) => { if (event.key === 'Escape') onClose(); },
  },
    field(t('resume.title_field'), title, t('resume.new_hint')), error,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('resume.create')),
      h('button', { type: 'button', onclick: onClose }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    // Made by the agency, it is shared with the agency (a private one they could not open again).
    const body = userId ? { title: title.value.trim(), user_id: userId, visibility: 'company' } : { title: title.value.trim() };
    try {
      const created = await busy(form, () => api('/api/resumes', { method: 'POST', body }));
      navigate(`/resumes/${created.id}`);
    } catch (failure) {
      error.textContent = problem(failure);
      error.hidden = false;
    }
  });
  setTimeout(() => title.focus());
  return form;
}

/** The toggle of a form under a button (keyboard: Escape closes it and returns to the button). */
export function opener(label, id, make) {
  const box = h('div');
  const button = h('button', {
    type: 'button', id, 'aria-expanded': 'false',
    onclick: () => {
      const open = button.getAttribute('aria-expanded') === 'true';
      button.setAttribute('aria-expanded', String(!open));
      if (open) clear(box);
      else {
        clear(box, make(() => {
          button.setAttribute('aria-expanded', 'false');
          clear(box);
          button.focus();
        }));
      }
    },
  }, label);
  return [button, box];
}

function proposeForm(person, resumes, onProposed) {
  const active = resumes.filter((r) => r.status === 'active');
  const position = h('select', { id: 'propose-position', name: 'position', required: true },
    h('option', { value: '' }, t('loading')));
  const resume = h('select', { id: 'propose-resume', name: 'resume', required: true },
    active.map((r) => h('option', { value: r.id }, r.title)));
  const message = h('textarea', { id: 'propose-message', name: 'message', rows: 3, maxlength: 5000 });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const done = h('p', { role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: !active.length }, t('propose.submit'));
  const form = h('form', { class: 'stack', id: 'propose' },
    h('div', { class: 'fields' },
      field(t('propose.position'), position),
      field(t('propose.resume'), resume, active.length ? t('propose.resume_hint') : t('propose.no_resume'))),
    field(t('propose.message'), message),
    error, h('div', { class: 'row' }, submit), done);
  api('/api/public/positions', { query: { limit: 100 } }).then((page) => {
    const mine = session.user?.company_id;
    const open = page.items.filter((p) => p.company_id !== mine);
    clear(position,
      h('option', { value: '' }, open.length ? t('propose.choose') : t('propose.no_position')),
      open.map((p) => h('option', { value: p.id }, `${p.title} — ${p.company_name}`)));
  }).catch((failure) => {
    clear(position, h('option', { value: '' }, t('propose.no_position')));
    error.textContent = problem(failure);
    error.hidden = false;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    done.replaceChildren();
    if (!position.value || !resume.value) return;
    try {
      const interview = await busy(form, () => api(`/api/positions/${Number(position.value)}/proposals`, {
        method: 'POST',
        body: { candidate_id: person.id, resume_id: Number(resume.value), message: message.value.trim() || null },
      }));
      message.value = '';
      done.append(t('propose.done'), ' ', h('a', { href: `/interviews/${interview.id}` }, interview.title));
      toast(t('propose.done'), { link: `/interviews/${interview.id}` });
      onProposed(interview);
    } catch (failure) {
      error.textContent = failure.code === 'already_proposed' ? t('error.already_proposed') : problem(failure);
      error.hidden = false;
    }
  });
  return form;
}

export async function candidateView({ main, params }) {
  const id = Number(params.id);
  let person;
  try {
    person = await api(`/api/candidates/${id}`);
  } catch {
    missing(main, t('candidates.one'));
    return;
  }
  rememberCandidate(person);
  const staff = await isAgencyStaff();
  const quietly = (promise) => promise.catch(() => ({ items: [], total: 0 }));
  const [resumes, interviews] = await Promise.all([
    quietly(api(`/api/candidates/${id}/resumes`, { query: { limit: 100 } })),
    quietly(api(`/api/candidates/${id}/interviews`, { query: { limit: 100 } })),
  ]);
  const interviewList = h('div');
  const drawInterviews = () => clear(interviewList, interviews.items.length
    ? h('ul', { class: 'rows' }, interviews.items.map((i) => interviewRow(i, true)))
    : h('p', { class: 'empty' }, t('candidates.no_interviews')));
  drawInterviews();
  const [newResume, newResumeBox] = staff
    ? opener(t('resume.new'), 'resume-new-open', (close) => newResumeForm({ userId: id, onClose: close })) : [null, null];
  const contact = [
    person.email ? [h('dt', {}, t('candidates.email')), h('dd', {}, h('a', { href: `mailto:${person.email}`, 'data-external': '' }, person.email))] : null,
    person.phone ? [h('dt', {}, t('candidates.phone')), h('dd', {}, person.phone)] : null,
  ];
  const section = (key, ...body) => h('section', { class: 'card', 'aria-labelledby': `candidate-${key}` },
    h('h2', { id: `candidate-${key}` }, t(`candidates.${key}`)), ...body);
  main.append(h('article', { class: 'page' },
    h('p', { class: 'crumbs' }, h('a', { href: '/candidates' }, t('candidates.title'))),
    h('div', { class: 'page-head' }, h('h1', {}, fullName(person)),
      person.id !== session.user?.id ? h('a', { href: `/messages/${person.id}`, class: 'button small' }, t('messages.write')) : null),
    h('dl', { class: 'facts card' },
      contact,
      h('dt', {}, t('candidates.status')), h('dd', {}, person.is_active ? t('candidates.active') : t('candidates.inactive')),
      h('dt', {}, t('candidates.since')), h('dd', {}, fmt.date(person.created_at))),
    section('resumes',
      resumes.items.length ? h('ul', { class: 'rows people-list' }, resumes.items.map(resumeRow)) : h('p', { class: 'empty' }, t('resume.none')),
      newResume ? h('div', { class: 'row' }, newResume) : null, newResumeBox),
    staff ? section('propose', proposeForm(person, resumes.items, (interview) => {
      interviews.items.unshift(interview);
      drawInterviews();
    })) : null,
    section('interviews', interviewList)));
}
