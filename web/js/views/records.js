// Interviews and todos: the lists, one interview (its time, its people, its room, the status
// moves its caller may make), one todo (complete, reopen, its files), and a new todo.
// Notifications link here (`/interviews/{id}`, `/todos/{id}`).
import { api, download } from '../core/api.js';
import { clear, h, icon, toast } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { candidate, contacts, knows, nameOf } from '../core/people.js';
import { session } from '../core/session.js';
import { problem } from './auth.js';
import { interviewActions } from './interview_actions.js';
import { todoForm } from './todo_form.js';

const JOINABLE = new Set(['scheduled', 'confirmed', 'in_progress']);

function chip(kind, value) {
  return h('span', { class: `chip ${kind}-${value}` }, t(`${kind}.${value}`));
}

function notFound(main, title) {
  main.append(h('section', { class: 'page narrow' }, h('h1', {}, title), h('p', { role: 'alert' }, t('record.missing'))));
}

export function interviewRow(interview, withDate = false) {
  const when = withDate ? fmt.dateTime : fmt.time;
  return h('li', { class: `row${withDate ? ' dated' : ''}` },
    h('span', { class: 'when' }, interview.scheduled_start ? when(interview.scheduled_start) : t('time.unscheduled')),
    h('a', { href: `/interviews/${interview.id}`, class: 'what' }, interview.title),
    chip('interview', interview.status),
    interview.room_id && JOINABLE.has(interview.status)
      ? h('a', { href: `/r/${encodeURIComponent(interview.room_id)}`, class: 'button small' }, t('room.join')) : null);
}

export function todoRow(todo, action = null) {
  return h('li', { class: `row${todo.is_overdue ? ' overdue' : ''}`, dataset: { todo: todo.id } },
    h('span', { class: 'when' }, todo.due_date ? fmt.short(todo.due_date) : '—'),
    h('a', { href: `/todos/${todo.id}`, class: 'what' }, todo.title),
    todo.is_overdue ? h('span', { class: 'chip overdue' }, t('todo.overdue')) : chip('todo', todo.status),
    action);
}

/** Complete a todo where the person may change it; `after` redraws. */
export function completeButton(todo, after) {
  if (todo.access === 'read' || !['pending', 'in_progress'].includes(todo.status)) return null;
  return h('button', {
    type: 'button', class: 'small',
    'aria-label': t('todo.complete_named', { title: todo.title }),
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        Object.assign(todo, await api(`/api/todos/${todo.id}/complete`, { method: 'POST' }));
        toast(t('todo.done_toast', { title: todo.title }));
        after();
      } catch (error) {
        toast(problem(error), { kind: 'error' });
        button.disabled = false;
      }
    },
  }, t('todo.complete'));
}

/** Reopen a completed or cancelled todo where the person may change it; `after` redraws. */
export function reopenButton(todo, after) {
  if (todo.access === 'read' || !['completed', 'cancelled'].includes(todo.status)) return null;
  return h('button', {
    type: 'button', class: 'small',
    'aria-label': t('todo.reopen_named', { title: todo.title }),
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        Object.assign(todo, await api(`/api/todos/${todo.id}/reopen`, { method: 'POST' }));
        toast(t('todo.reopened_toast', { title: todo.title }));
        after();
      } catch (error) {
        toast(problem(error), { kind: 'error' });
        button.disabled = false;
      }
    },
  }, t('todo.reopen'));
}

export async function interviewsView({ main }) {
  const page = h('section', { class: 'page' }, h('h1', {}, t('nav.interviews')));
  main.append(page);
  const answer = await api('/api/interviews', { query: { limit: 50, sort: '-scheduled_start' } }).catch(() => ({ items: [] }));
  page.append(answer.items.length ? h('ul', { class: 'rows' }, answer.items.map((i) => interviewRow(i, true)))
    : h('p', { class: 'empty' }, t('today.no_week')));
}

export async function interviewView({ main, params }) {
  let interview;
  try {
    interview = await api(`/api/interviews/${Number(params.id)}`);
  } catch {
    notFound(main, t('interview.title'));
    return;
  }
  const people = [
    [t('interview.candidate'), interview.candidate_id],
    [t('interview.recruiter'), interview.recruiter_id],
  ].filter(([, id]) => id);
  // The candidate by name (and a link to their page) wherever the directory shows them;
  // the proposal the interview came from, when it came from one.
  const [person, proposal] = await Promise.all([
    interview.candidate_id ? candidate(interview.candidate_id) : null,
    api(`/api/interviews/${interview.id}/proposal`).catch(() => null),
  ]);
  if (people.some(([, id]) => !knows(id))) await contacts().catch(() => []);
  const me = session.user?.id;
  const who = (id) => (person && id === person.id && id !== me
    ? h('a', { href: `/candidates/${id}`, class: 'person' }, nameOf(id)) : nameOf(id));
  const article = h('article', { class: 'page narrow card' });
  main.append(article);
  const draw = (current) => {
    interview = current;
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, t('interview.when')), h('dd', {}, fmt.range(interview.scheduled_start, interview.scheduled_end),
        interview.timezone && interview.timezone !== fmt.zoneName() ? h('span', { class: 'hint' }, ` (${interview.timezone})`) : null),
      h('dt', {}, t('interview.type')), h('dd', {}, t(`interview_type.${interview.interview_type}`)),
      h('dt', {}, t('interview.status')), h('dd', { id: 'interview-status' }, chip('interview', interview.status)),
      interview.location ? [h('dt', {}, t('interview.location')), h('dd', {}, interview.location)] : null,
      people.map(([label, id]) => [h('dt', {}, label), h('dd', { dataset: { person: id } }, who(id),
        id !== me ? [' ', h('a', { href: `/messages/${id}`, class: 'small' }, t('messages.write'))] : null)]),
      interview.meeting_url ? [h('dt', {}, t('interview.link')),
        h('dd', {}, h('a', { href: interview.meeting_url, rel: 'noopener noreferrer', target: '_blank', 'data-external': '' }, interview.meeting_url))] : null);
    const links = h('div', { class: 'row actions' },
      interview.room_id && JOINABLE.has(interview.status)
        ? h('a', { href: `/r/${encodeURIComponent(interview.room_id)}`, class: 'button primary' }, t('room.join')) : null,
      interview.scheduled_start ? h('button', {
        type: 'button',
        onclick: () => download(`/api/interviews/${interview.id}/invite.ics`, `interview-${interview.id}.ics`)
          .catch((error) => toast(problem(error), { kind: 'error' })),
      }, t('interview.ics')) : null);
    clear(article,
      h('p', { class: 'crumbs' }, h('a', { href: '/interviews' }, t('nav.interviews'))),
      h('h1', {}, interview.title), links, facts,
      interviewActions(interview, (updated) => {
        draw(updated);
        article.querySelector('#interview-status')?.setAttribute('tabindex', '-1');
        article.querySelector('#interview-status')?.focus();
      }),
      proposal ? proposalBox(proposal) : null,
      interview.description ? h('section', {}, h('h2', {}, t('interview.description')), h('p', { class: 'prose' }, interview.description)) : null,
      interview.notes ? h('section', {}, h('h2', {}, t('interview.notes')), h('p', { class: 'prose' }, interview.notes)) : null);
  };
  draw(interview);
}

/** What the agency sent with a proposal: when, the resume (for whoever may open it), and the
 * 職務経歴書 as sent. */
function proposalBox(proposal) {
  const button = h('button', {
    type: 'button', id: 'proposal-document',
    onclick: () => {
      button.disabled = true;
      download(proposal.document).catch((error) => toast(problem(error), { kind: 'error' }))
        .finally(() => { button.disabled = false; });
    },
  }, icon('clip'), t('proposal.document'));
  return h('section', { class: 'card inset proposal', 'aria-labelledby': 'proposal-title' },
    h('h2', { id: 'proposal-title' }, t('proposal.title')),
    h('p', {}, t('proposal.when', { when: fmt.dateTime(proposal.proposed_at) }),
      knows(proposal.proposed_by) ? ` ${t('proposal.by', { name: nameOf(proposal.proposed_by) })}` : ''),
    h('div', { class: 'row' }, button,
      h('a', { href: `/resumes/${proposal.resume_id}`, class: 'button' }, t('proposal.resume'))));
}

export async function todosView({ main }) {
  const me = session.user?.id;
  const mine = h('input', { type: 'checkbox', id: 'only-mine', checked: true });
  const body = h('div');
  const creating = h('div');
  const newButton = h('button', {
    type: 'button', class: 'primary', id: 'todo-new', 'aria-expanded': 'false', 'aria-controls': 'todo-create',
    onclick: () => {
      const open = newButton.getAttribute('aria-expanded') === 'true';
      newButton.setAttribute('aria-expanded', String(!open));
      if (open) {
        clear(creating);
        return;
      }
      clear(creating, todoForm({
        onCreated: async (todo) => {
          newButton.setAttribute('aria-expanded', 'false');
          clear(creating);
          await load();
          document.querySelector(`[data-todo='${todo.id}'] a`)?.focus();
        },
        onClose: () => {
          newButton.setAttribute('aria-expanded', 'false');
          clear(creating);
          newButton.focus();
        },
      }));
    },
  }, t('todo.new'));
  main.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.todos')),
      h('div', { class: 'row' }, h('label', { for: 'only-mine', class: 'inline' }, mine, ` ${t('todo.only_mine')}`), newButton)),
    creating, body));
  const load = async () => {
    const answer = await api('/api/todos', {
      query: { assigned_user_id: mine.checked ? me : null, sort: 'due_date', limit: 100 },
    }).catch(() => ({ items: [] }));
    const open = answer.items.filter((todo) => ['pending', 'in_progress'].includes(todo.status));
    const closed = answer.items.filter((todo) => !open.includes(todo));
    clear(body,
      open.length ? h('ul', { class: 'rows' }, open.map((todo) => todoRow(todo, completeButton(todo, load)))) : h('p', { class: 'empty' }, t('today.no_todos')),
      closed.length ? h('details', {}, h('summary', {}, t('todo.closed', { n: closed.length })), h('ul', { class: 'rows' }, closed.map((todo) => todoRow(todo, reopenButton(todo, load))))) : null);
  };
  mine.addEventListener('change', load);
  await load();
}

export async function todoView({ main, params }) {
  const id = Number(params.id);
  let todo;
  try {
    todo = await api(`/api/todos/${id}`);
  } catch {
    notFound(main, t('todo.title'));
    return;
  }
  const article = h('article', { class: 'page narrow card' });
  main.append(article);
  const files = h('ul', { class: 'files' });
  const loadFiles = async () => {
    const page = await api(`/api/todos/${id}/attachments`).catch(() => ({ items: [] }));
    files.replaceChildren(...page.items.map((file) => h('li', {}, h('button', {
      type: 'button', class: 'file', onclick: () => download(file.download_url, file.filename).catch((e) => toast(problem(e), { kind: 'error' })),
    }, icon('clip'), file.filename))));
    if (!page.items.length) files.append(h('li', { class: 'empty' }, t('todo.no_files')));
  };
  const upload = h('input', { type: 'file', id: 'todo-file' });
  upload.addEventListener('change', async () => {
    if (!upload.files.length) return;
    const form = new FormData();
    form.append('file', upload.files[0]);
    try {
      await api(`/api/todos/${id}/attachments`, { method: 'POST', form });
      await loadFiles();
    } catch (error) {
      toast(problem(error), { kind: 'error' });
    }
    upload.value = '';
  });
  const draw = () => {
    const canChange = todo.access !== 'read';
    clear(article,
      h('p', { class: 'crumbs' }, h('a', { href: '/todos' }, t('nav.todos'))),
      h('h1', {}, todo.title),
      h('div', { class: 'row actions' }, completeButton(todo, redraw), reopenButton(todo, redraw)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('todo.status')), h('dd', {}, chip('todo', todo.status), todo.is_overdue ? h('span', { class: 'chip overdue' }, t('todo.overdue')) : null),
        h('dt', {}, t('todo.due')), h('dd', {}, todo.due_date ? fmt.dateTime(todo.due_date) : '—'),
        h('dt', {}, t('todo.priority')), h('dd', {}, t(`priority.${todo.priority}`)),
        todo.assigned_user_id ? [h('dt', {}, t('todo.assignee')), h('dd', {}, nameOf(todo.assigned_user_id))] : null,
        todo.tags?.length ? [h('dt', {}, t('todo.tags')), h('dd', {}, todo.tags.join(', '))] : null),
      todo.description ? h('p', { class: 'prose' }, todo.description) : null,
      h('section', {}, h('h2', {}, t('todo.files')), files,
        canChange ? h('p', {}, h('label', { for: 'todo-file', class: 'button' }, t('messages.attach')), upload) : null));
    upload.className = 'sr-only';
  };
  // After complete or reopen, the keyboard stays on the button that undoes it.
  const redraw = () => {
    draw();
    article.querySelector('.actions button')?.focus();
  };
  draw();
  await loadFiles();
}
