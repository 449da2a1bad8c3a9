// The start of a recruiter's day: today's interviews (with their rooms), the todos due today
// or overdue, and what is coming this week.
import { api } from '../core/api.js';
import { append, h } from '../core/dom.js';
import { dayBounds, fmt, t } from '../core/i18n.js';
import { session } from '../core/session.js';
import { completeButton, interviewRow, todoRow } from './records.js';

const OPEN_TODO = new Set(['pending', 'in_progress']);
const LIVE_INTERVIEW = new Set(['scheduled', 'confirmed', 'in_progress']);

function section(title, id, body) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

function list(items, draw, empty) {
  return items.length ? h('ul', { class: 'rows' }, items.map(draw)) : h('p', { class: 'empty' }, empty);
}

export async function todayView({ main }) {
  const me = session.user?.id;
  const [start, end] = dayBounds();
  const [, weekEnd] = dayBounds(new Date(), 8);
  const page = h('div', { class: 'page today' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('today.title')),
      h('p', { class: 'date' }, fmt.longDate(new Date()), h('span', { class: 'zone' }, ` (${fmt.zoneName()})`))),
    h('p', { class: 'loading' }, t('loading')));
  main.append(page);
  const quietly = (promise) => promise.catch(() => ({ items: [], failed: true }));
  const [today, week, todos, overdue] = await Promise.all([
    quietly(api('/api/interviews', {
      query: { starts_from: start.toISOString(), starts_before: end.toISOString(), sort: 'scheduled_start', limit: 50 },
    })),
    quietly(api('/api/interviews', {
      query: { starts_from: end.toISOString(), starts_before: weekEnd.toISOString(), sort: 'scheduled_start', limit: 20 },
    })),
    quietly(api('/api/todos', {
      query: { assigned_user_id: me, due_after: start.toISOString(), due_before: end.toISOString(), sort: 'due_date', limit: 50 },
    })),
    quietly(api('/api/todos/overdue', { query: { assigned_user_id: me, limit: 50 } })),
  ]);
  page.querySelector('.loading').remove();
  const dueTodos = [...overdue.items, ...todos.items.filter((todo) => !overdue.items.some((o) => o.id === todo.id))]
    .filter((todo) => OPEN_TODO.has(todo.status));
  const todaysInterviews = today.items.filter((i) => i.status !== 'cancelled');
  const summary = h('p', { class: 'summary', role: 'status' },
    t('today.summary', { interviews: todaysInterviews.filter((i) => LIVE_INTERVIEW.has(i.status)).length, todos: dueTodos.length }));
  const todoList = list(dueTodos, (todo) => todoRow(todo, completeButton(todo, () => redrawTodos())), t('today.no_todos'));
  const todoSection = section(t('today.todos'), 'today-todos', todoList);
  const redrawTodos = () => {
    todoSection.querySelector('ul, p.empty')?.replaceWith(list(dueTodos.filter((x) => OPEN_TODO.has(x.status)),
      (todo) => todoRow(todo, completeButton(todo, () => redrawTodos())), t('today.no_todos')));
  };
  append(page, [summary,
    h('div', { class: 'columns' },
      section(t('today.interviews'), 'today-interviews', list(todaysInterviews, interviewRow, t('today.no_interviews'))),
      todoSection),
    section(t('today.week'), 'today-week', list(week.items.filter((i) => i.status !== 'cancelled'), (i) => interviewRow(i, true), t('today.no_week'))),
    today.failed || todos.failed ? h('p', { class: 'form-error', role: 'alert' }, t('error.generic')) : null]);
}
