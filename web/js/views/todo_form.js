// A new todo: its title, due time (in the person's time zone), priority and details, assigned
// to the person creating it unless they untick it (`POST /api/todos`).
import { api } from '../core/api.js';
import { busy, h, toast } from '../core/dom.js';
import { fmt, t, zonedInstant } from '../core/i18n.js';
import { session } from '../core/session.js';
import { problem } from './auth.js';

const PRIORITIES = ['low', 'medium', 'high', 'urgent'];

/** `onCreated(todo)` once stored; `onClose()` when given up (Cancel, Escape). */
export function todoForm({ onCreated, onClose }) {
  const title = h('input', { id: 'todo-title', name: 'title', required: true, maxlength: 255, autocomplete: 'off' });
  const due = h('input', { id: 'todo-due', name: 'due', type: 'datetime-local' });
  const priority = h('select', { id: 'todo-priority', name: 'priority' },
    PRIORITIES.map((p) => h('option', { value: p, selected: p === 'medium' }, t(`priority.${p}`))));
  const details = h('textarea', { id: 'todo-details', name: 'description', rows: 3 });
  const mine = h('input', { id: 'todo-mine', name: 'mine', type: 'checkbox', checked: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', {
    id: 'todo-create', class: 'card stack', 'aria-labelledby': 'todo-create-title',
    onkeydown: (event) => { if (event.key === 'Escape') onClose(); },
  },
  h('h2', { id: 'todo-create-title' }, t('todo.new')),
  h('div', { class: 'field' }, h('label', { for: 'todo-title' }, t('todo.field_title')), title),
  h('div', { class: 'columns two' },
    h('div', { class: 'field' }, h('label', { for: 'todo-due' }, t('todo.due')), due,
      h('p', { class: 'hint' }, t('interview.zone_hint', { zone: fmt.zoneName() }))),
    h('div', { class: 'field' }, h('label', { for: 'todo-priority' }, t('todo.priority')), priority)),
  h('div', { class: 'field' }, h('label', { for: 'todo-details' }, t('todo.details')), details),
  h('label', { for: 'todo-mine', class: 'inline' }, mine, ` ${t('todo.assign_me')}`),
  error,
  h('div', { class: 'row' },
    h('button', { type: 'submit', class: 'primary' }, t('todo.create')),
    h('button', { type: 'button', onclick: () => onClose() }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = {
      title: title.value.trim(),
      priority: priority.value,
      description: details.value.trim() || null,
      due_date: due.value ? zonedInstant(due.value)?.toISOString() : null,
      assigned_user_id: mine.checked ? session.user?.id : null,
    };
    if (!body.title) {
      title.focus();
      return;
    }
    try {
      const todo = await busy(form, () => api('/api/todos', { method: 'POST', body }));
      toast(t('todo.created_toast', { title: todo.title }));
      onCreated(todo);
    } catch (failure) {
      error.textContent = problem(failure);
      error.hidden = false;
    }
  });
  setTimeout(() => title.focus());
  return form;
}
