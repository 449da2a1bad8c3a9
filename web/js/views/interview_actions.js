// The status moves of one interview that its caller may make now, as the API lists them in the
// interview's `actions`: schedule (a start in the person's time zone and a length), confirm,
// start, complete, and cancel (with an optional reason, confirmed in a second step).
import { api } from '../core/api.js';
import { busy, clear, h, toast } from '../core/dom.js';
import { fmt, t, zonedInstant, zonedValue } from '../core/i18n.js';
import { problem } from './auth.js';

const TARGET = { confirm: 'confirmed', start: 'in_progress', complete: 'completed', cancel: 'cancelled' };
const DIRECT = new Set(['confirm', 'start', 'complete']);

function minutes(interview) {
  if (interview.duration_minutes) return interview.duration_minutes;
  if (interview.scheduled_start && interview.scheduled_end) {
    return Math.round((Date.parse(interview.scheduled_end) - Date.parse(interview.scheduled_start)) / 60000);
  }
  return 60;
}

/** `after(updated)` redraws the page with the interview as the API answered it. */
export function interviewActions(interview, after) {
  const offered = interview.actions || [];
  const box = h('section', { class: 'interview-actions', 'aria-labelledby': 'interview-actions-title' });
  if (!offered.length) return null;
  const panel = h('div', { class: 'action-panel' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  async function move(path, body, control) {
    error.hidden = true;
    try {
      const updated = await busy(control, () => api(`/api/interviews/${interview.id}${path}`, { method: 'POST', body }));
      toast(t('interview.moved', { status: t(`interview.${updated.status}`) }));
      after(updated);
    } catch (failure) {
      error.textContent = problem(failure);
      error.hidden = false;
    }
  }

  function close(opener) {
    clear(panel);
    opener?.focus();
  }

  function scheduleForm(opener) {
    const start = h('input', { id: 'schedule-start', name: 'start', type: 'datetime-local', required: true, value: zonedValue(interview.scheduled_start) });
    const length = h('input', { id: 'schedule-minutes', name: 'minutes', type: 'number', min: 5, max: 600, step: 5, required: true, value: minutes(interview) });
    const form = h('form', { class: 'stack card inset', onkeydown: (e) => { if (e.key === 'Escape') close(opener); } },
      h('div', { class: 'field' }, h('label', { for: 'schedule-start' }, t('interview.start_at')), start,
        h('p', { class: 'hint' }, t('interview.zone_hint', { zone: fmt.zoneName() }))),
      h('div', { class: 'field' }, h('label', { for: 'schedule-minutes' }, t('interview.minutes')), length),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('interview.save_schedule')),
        h('button', { type: 'button', onclick: () => close(opener) }, t('cancel'))));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const instant = zonedInstant(start.value);
      if (!instant) return;
      move('/schedule', { scheduled_start: instant.toISOString(), duration_minutes: Number(length.value), timezone: fmt.zoneName() }, form);
    });
    clear(panel, form);
    start.focus();
  }

  function cancelForm(opener) {
    const reason = h('textarea', { id: 'cancel-reason', name: 'reason', rows: 2, maxlength: 1000 });
    const form = h('form', { class: 'stack card inset', onkeydown: (e) => { if (e.key === 'Escape') close(opener); } },
      h('p', {}, t('interview.cancel_question')),
      h('div', { class: 'field' }, h('label', { for: 'cancel-reason' }, t('interview.reason')), reason),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'danger', id: 'cancel-confirm' }, t('interview.cancel_confirm')),
        h('button', { type: 'button', onclick: () => close(opener) }, t('interview.keep'))));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      move('/status', { status: 'cancelled', reason: reason.value.trim() || null }, form);
    });
    clear(panel, form);
    reason.focus();
  }

  const buttons = h('div', { class: 'row' }, offered.map((action) => {
    const label = action === 'schedule' && interview.scheduled_start ? t('interview.do_reschedule') : t(`interview.do_${action}`);
    const button = h('button', {
      type: 'button', class: action === 'cancel' ? 'danger' : (DIRECT.has(action) ? 'primary' : ''), dataset: { action },
      onclick: () => {
        if (action === 'schedule') scheduleForm(button);
        else if (action === 'cancel') cancelForm(button);
        else move('/status', { status: TARGET[action] }, buttons);
      },
    }, label);
    return button;
  }));
  return clear(box, h('h2', { id: 'interview-actions-title', class: 'sr-only' }, t('interview.actions')), buttons, error, panel);
}
