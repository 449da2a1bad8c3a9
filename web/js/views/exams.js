// Exams for the candidate: their sessions (`/exams`) and one session (`/exams/sessions/{id}`):
// the instructions and Start, then the questions one at a time with previous / next (the
// server keeps `current_question`), answers saved as they are given over the live socket
// (`exam:join`, `exam:answer`, `exam:move`, `exam:submit`; REST when the socket is down), the
// server's remaining time (from the acks and `exam:tick`, counted down here in between),
// proctoring signals (`exam:event`) and, after submitting, the result when the exam shows it.
import { api } from '../core/api.js';
import { clear, h, toast } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { realtime } from '../core/socket.js';
import { problem } from './auth.js';

const FINISHED = new Set(['submitted', 'graded', 'expired']);
const TEXT_SAVE_MS = 600;

function statusChip(status) {
  return h('span', { class: `chip exam-status exam-status-${status}` }, t(`exam.status_${status}`));
}

export async function examsView({ main }) {
  const page = h('section', { class: 'page' }, h('h1', {}, t('exam.mine')), h('p', {}, t('loading')));
  main.append(page);
  let answer;
  try {
    answer = await api('/api/exam-sessions/mine', { query: { limit: 100 } });
  } catch (error) {
    clear(page, h('h1', {}, t('exam.mine')), h('p', { class: 'form-error', role: 'alert' }, problem(error)));
    return;
  }
  const items = answer.items || [];
  clear(page,
    h('div', { class: 'page-head' }, h('h1', {}, t('exam.mine'))),
    h('div', { class: 'card' }, items.length
      ? h('ul', { class: 'rows people-list exam-list' }, items.map((s) => h('li', { class: 'person-row', dataset: { session: s.id } },
        h('a', { href: `/exams/sessions/${s.id}`, class: 'what' }, s.exam_title),
        h('span', { class: 'chips' }, statusChip(s.status),
          s.attempt_number > 1 ? ` ${t('exam.attempt', { n: s.attempt_number })}` : ''),
        h('span', { class: 'contact' },
          s.submitted_at ? t('exam.submitted_on', { when: fmt.dateTime(s.submitted_at) })
            : s.deadline ? t('exam.deadline_at', { when: fmt.dateTime(s.deadline) }) : t('exam.not_started_hint'),
          s.score !== null && s.score !== undefined ? ` · ${t('exam.score', { n: s.score })}` : ''))))
      : h('p', { class: 'empty' }, t('exam.none'))));
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

function answered(value) {
  return value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
}

export async function examSessionView({ main, params, isCurrent }) {
  const sessionId = Number(params.id);
  const page = h('section', { class: 'page exam' }, h('h1', {}, t('exam.title')), h('p', {}, t('loading')));
  main.append(page);

  let state = null;
  let remaining = null; // seconds, as the server last said
  let remainingAt = 0; // performance.now() of that
  let timer = null;
  let joined = false;
  let proctored = true; // until the server says a report was not recorded
  let fullscreenSeen = false;
  let notice = '';
  let saving = Promise.resolve();
  let textTimer = null;
  let flushText = null;
  const undo = [];
  const saveStatus = h('p', { class: 'exam-save', role: 'status', 'aria-live': 'polite' });
  const timerBox = h('p', { class: 'exam-timer', role: 'timer', 'aria-live': 'off' });
  const timerAlert = h('p', { class: 'sr-only', role: 'status' });

  const current = () => state && isCurrent();
  const showError = (error) => toast(problem(error), { kind: 'error' });

  function setState(next, ackRemaining) {
    state = next;
    const seconds = ackRemaining ?? next.time_remaining;
    if (seconds !== null && seconds !== undefined && next.status === 'in_progress') {
      remaining = seconds;
      remainingAt = performance.now();
    }
  }

  function secondsLeft() {
    if (remaining === null) return null;
    return Math.max(0, remaining - (performance.now() - remainingAt) / 1000);
  }

  let warned = false;
  function showTime() {
    const left = secondsLeft();
    if (left === null) return;
    timerBox.textContent = t('exam.time_left', { time: clock(left) });
    timerBox.classList.toggle('low', left <= 60);
    timerBox.dataset.seconds = String(Math.floor(left));
    if (left <= 60 && !warned) {
      warned = true;
      timerAlert.textContent = t('exam.one_minute');
    }
    if (left <= 0 && state?.status === 'in_progress') {
      stopTimer();
      // The server submits at the deadline; ask it what the session is now.
      notice = t('exam.auto_submitted');
      setTimeout(() => reload().catch(() => {}), 1500);
    }
  }

  function startTimer() {
    stopTimer();
    showTime();
    timer = setInterval(showTime, 1000);
  }

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  async function reload() {
    const next = await api(`/api/exam-sessions/${sessionId}/state`);
    if (!isCurrent()) return;
    setState(next);
    draw();
  }

  // The live socket: join the session's room (again after a reconnect); REST otherwise.
  async function join() {
    if (!state || state.status !== 'in_progress') return;
    joined = false;
    try {
      await realtime.ready(5_000);
      const ack = await realtime.emit('exam:join', { session_token: state.session_token });
      if (!current()) return;
      joined = true;
      page.dataset.joined = 'true';
      const before = state.status;
      setState(ack.session, ack.time_remaining);
      if (before !== state.status) draw();
      else showTime();
    } catch {
      joined = false; // answers go over REST until the socket is back
      page.dataset.joined = 'false';
    }
  }

  /** One change to the session: over the socket when it is joined, else REST. */
  // `data-pending` (changes in flight) and `data-via` (how the last one went) on the page.
  let pending = 0;
  async function change(event, payload, path, body) {
    pending += 1;
    page.dataset.pending = String(pending);
    try {
      if (joined && realtime.connected) {
        try {
          const ack = await realtime.emit(event, { session_token: state.session_token, ...payload });
          setState(ack.session, ack.time_remaining);
          page.dataset.via = 'socket';
          return;
        } catch (error) {
          if (error.code !== 'timeout' && error.code !== 'not_connected') throw error;
          joined = false;
        }
      }
      setState(await api(`/api/exam-sessions/${sessionId}/${path}`, { method: 'POST', body }));
      page.dataset.via = 'rest';
    } finally {
      pending -= 1;
      page.dataset.pending = String(pending);
    }
  }

  function whenFinished(error) {
    if (['deadline_passed', 'session_finished'].includes(error.code)) {
      reload().catch(() => {});
      return true;
    }
    return false;
  }

  function save(questionId, value) {
    state.answers[String(questionId)] = value;
    saveStatus.textContent = t('exam.saving');
    saveStatus.dataset.state = 'saving';
    saving = saving.then(async () => {
      try {
        await change('exam:answer', { question_id: questionId, answer: value }, 'answers', { question_id: questionId, answer: value });
        if (!isCurrent()) return;
        saveStatus.textContent = t('exam.saved');
        saveStatus.dataset.state = 'saved';
        markNav();
        showTime();
      } catch (error) {
        if (!isCurrent()) return;
        saveStatus.textContent = t('exam.not_saved');
        saveStatus.dataset.state = 'failed';
        if (!whenFinished(error)) showError(error);
      }
    });
    return saving;
  }

  async function moveTo(index) {
    if (flushText) flushText();
    await saving;
    const before = state.current_question;
    state.current_question = index;
    draw();
    page.querySelector('#exam-prompt')?.focus();
    try {
      await change('exam:move', { current_question: index }, 'current-question', { current_question: index });
    } catch (error) {
      if (!whenFinished(error)) {
        showError(error);
        state.current_question = before;
        draw();
      }
    }
  }

  async function submit(dialog) {
    if (flushText) flushText();
    await saving;
    try {
      await change('exam:submit', {}, 'submit');
      dialog.close();
      notice = t('exam.submitted_now');
      draw();
    } catch (error) {
      dialog.close();
      if (!whenFinished(error)) showError(error);
    }
  }

  // Proctoring: reported while a proctored session is in progress (the state says so); a report
  // the server does not record ends the reporting too.
  function report(kind) {
    if (!proctored || !state || !state.proctoring_enabled) return;
    if (state.status !== 'in_progress' || !realtime.connected) return;
    realtime.emit('exam:event', { session_token: state.session_token, kind })
      .then((ack) => { if (ack.recorded === false) proctored = false; })
      .catch(() => {});
  }
  const listeners = [
    [document, 'visibilitychange', () => { if (document.visibilityState === 'hidden') report('tab_hidden'); }],
    [window, 'blur', () => report('window_blur')],
    [document, 'paste', () => report('paste')],
    [document, 'copy', () => report('copy')],
    [document, 'fullscreenchange', () => {
      if (document.fullscreenElement) fullscreenSeen = true;
      else if (fullscreenSeen) report('fullscreen_exit');
    }],
  ];
  for (const [target, name, fn] of listeners) {
    target.addEventListener(name, fn);
    undo.push(() => target.removeEventListener(name, fn));
  }
  undo.push(realtime.on('exam:tick', (tick) => {
    if (tick?.session_id !== sessionId || !state || state.status !== 'in_progress') return;
    remaining = tick.time_remaining;
    remainingAt = performance.now();
    showTime();
  }));
  undo.push(realtime.on('exam:submitted', (pushed) => {
    if (pushed?.session_id !== sessionId || !state) return;
    if (FINISHED.has(state.status)) return;
    notice = pushed.reason === 'deadline' ? t('exam.auto_submitted') : t('exam.submitted_now');
    reload().catch(() => {});
  }));
  undo.push(realtime.on('connect', () => { join(); }));

  // The screens

  function head() {
    return h('div', { class: 'page-head' }, h('h1', {}, state.exam_title));
  }

  function facts() {
    return h('dl', { class: 'facts' },
      h('dt', {}, t('exam.duration')), h('dd', {}, t('exam.minutes', { n: state.duration_minutes })),
      h('dt', {}, t('exam.questions')), h('dd', {}, String(state.questions.length)),
      h('dt', {}, t('exam.attempts')), h('dd', {}, t('exam.attempt_of', { n: state.attempt_number, max: state.max_attempts })));
  }

  function intro() {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button', class: 'primary', id: 'exam-start' }, t('exam.start'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const next = await api(`/api/exam-sessions/${sessionId}/start`, { method: 'POST' });
        if (!isCurrent()) return;
        setState(next);
        draw();
        join();
      } catch (failure) {
        button.disabled = false;
        error.textContent = problem(failure);
        error.hidden = false;
      }
    });
    clear(page, head(),
      h('div', { class: 'card exam-intro' },
        h('h2', {}, t('exam.instructions')),
        h('p', { class: 'prose' }, state.instructions || t('exam.no_instructions')),
        facts(),
        h('p', { class: 'hint' }, t('exam.start_hint', { n: state.duration_minutes })),
        error,
        h('div', { class: 'row' }, button)));
  }

  function input(question) {
    const value = state.answers[String(question.id)];
    const name = `q-${question.id}`;
    const choice = (type, index, label, checked, onchange) => {
      const id = `${name}-${index}`;
      return h('li', {}, h('label', { for: id, class: 'option' },
        h('input', { type, id, name, value: String(index), checked, onchange }), h('span', {}, label)));
    };
    if (question.type === 'single_choice') {
      return h('ul', { class: 'options' }, question.options.map((label, i) => choice('radio', i, label, value === i,
        () => save(question.id, i))));
    }
    if (question.type === 'multiple_choice') {
      const list = h('ul', { class: 'options' }, question.options.map((label, i) => choice('checkbox', i, label,
        Array.isArray(value) && value.includes(i), () => {
          const picked = [...list.querySelectorAll('input:checked')].map((el) => Number(el.value));
          save(question.id, picked.length ? picked : null);
        })));
      return list;
    }
    if (question.type === 'true_false') {
      return h('ul', { class: 'options' },
        choice('radio', 'true', t('exam.true'), value === true, () => save(question.id, true)),
        choice('radio', 'false', t('exam.false'), value === false, () => save(question.id, false)));
    }
    const essay = question.type === 'essay';
    const attrs = {
      id: name, name, class: 'exam-text', 'aria-labelledby': 'exam-prompt',
      maxlength: essay ? question.max_length : 1000, value: typeof value === 'string' ? value : '',
    };
    const field = essay ? h('textarea', { ...attrs, rows: 10 }) : h('input', { ...attrs, type: 'text', autocomplete: 'off' });
    let sent = attrs.value;
    const send = () => {
      clearTimeout(textTimer);
      textTimer = null;
      flushText = null;
      if (field.value === sent) return;
      sent = field.value;
      save(question.id, field.value === '' ? null : field.value);
    };
    field.addEventListener('input', () => {
      clearTimeout(textTimer);
      flushText = send;
      saveStatus.textContent = '';
      textTimer = setTimeout(send, TEXT_SAVE_MS);
    });
    field.addEventListener('blur', send);
    const counter = essay ? h('p', { class: 'hint' }, t('exam.chars', { n: field.value.length, max: question.max_length })) : null;
    if (counter) field.addEventListener('input', () => { counter.textContent = t('exam.chars', { n: field.value.length, max: question.max_length }); });
    return h('div', { class: 'field wide' }, field, counter);
  }

  let navList = null;
  function markNav() {
    if (!navList) return;
    state.questions.forEach((question, i) => {
      const button = navList.children[i]?.firstChild;
      if (!button) return;
      const done = answered(state.answers[String(question.id)]);
      button.classList.toggle('done', done);
      button.setAttribute('aria-label', t(done ? 'exam.goto_answered' : 'exam.goto', { n: i + 1 }));
    });
  }

  function taking() {
    const total = state.questions.length;
    const index = Math.min(Math.max(0, state.current_question), total - 1);
    const question = state.questions[index];
    const promptId = 'exam-prompt';
    navList = h('ol', { class: 'exam-nav' }, state.questions.map((_, i) => h('li', {},
      h('button', {
        type: 'button', class: i === index ? 'current' : '', 'aria-current': i === index ? 'step' : null,
        onclick: () => { if (i !== state.current_question) moveTo(i); },
      }, String(i + 1)))));
    const unanswered = () => state.questions.filter((q) => !answered(state.answers[String(q.id)])).length;
    const confirmText = h('p', {});
    const dialog = h('dialog', { class: 'exam-confirm', 'aria-labelledby': 'exam-confirm-title' },
      h('h2', { id: 'exam-confirm-title' }, t('exam.confirm_title')),
      confirmText,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', id: 'exam-confirm-submit', onclick: () => submit(dialog) }, t('exam.submit')),
        h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))));
    const openConfirm = async () => {
      if (flushText) flushText();
      const left = unanswered();
      confirmText.textContent = left ? t('exam.confirm_unanswered', { n: left }) : t('exam.confirm_text');
      dialog.showModal();
    };
    const prompt = h('fieldset', { class: 'exam-question', dataset: { question: question.id, type: question.type } },
      h('legend', { id: promptId, tabindex: '-1' },
        h('span', { class: 'exam-count' }, t('exam.question_of', { n: index + 1, total })),
        h('span', { class: 'exam-points' }, t('exam.points', { n: question.points })),
        h('span', { class: 'exam-prompt' }, question.question)),
      question.type === 'multiple_choice' ? h('p', { class: 'hint' }, t('exam.pick_all')) : null,
      input(question));
    clear(page,
      h('div', { class: 'page-head exam-head' }, h('h1', {}, state.exam_title), timerBox),
      timerAlert,
      h('nav', { class: 'exam-nav-box', 'aria-label': t('exam.nav') }, navList),
      h('div', { class: 'card' }, prompt, saveStatus,
        h('div', { class: 'row exam-moves' },
          h('button', { type: 'button', id: 'exam-prev', disabled: index === 0, onclick: () => moveTo(index - 1) }, t('exam.previous')),
          h('button', { type: 'button', id: 'exam-next', disabled: index === total - 1, onclick: () => moveTo(index + 1) }, t('exam.next')),
          h('button', { type: 'button', class: 'primary', id: 'exam-submit', onclick: openConfirm }, t('exam.submit')))),
      dialog);
    markNav();
    startTimer();
  }

  function shown(value) {
    if (value === true) return t('exam.true');
    if (value === false) return t('exam.false');
    if (value === null || value === undefined || value === '') return t('exam.no_answer');
    return String(value);
  }

  function answerText(question, value) {
    if (!question) return shown(value);
    if (question.type === 'single_choice' && Number.isInteger(value)) return question.options[value] ?? shown(value);
    if (question.type === 'multiple_choice' && Array.isArray(value)) return value.map((i) => question.options[i] ?? i).join(', ') || shown(null);
    return shown(value);
  }

  function finished() {
    stopTimer();
    const result = state.result;
    const byId = new Map(state.questions.map((q) => [q.id, q]));
    const lines = [];
    if (notice) lines.push(h('p', { class: 'exam-notice', role: 'status' }, notice));
    lines.push(h('p', {}, statusChip(state.status), ' ',
      state.submitted_at ? t('exam.submitted_on', { when: fmt.dateTime(state.submitted_at) }) : ''));
    let details = null;
    if (result) {
      lines.push(h('p', { class: 'exam-score', id: 'exam-score' }, t('exam.score', { n: result.score ?? '—' }), ' ',
        result.passed === null || result.passed === undefined ? ''
          : h('span', { class: `chip ${result.passed ? 'exam-passed' : 'exam-failed'}` }, t(result.passed ? 'exam.passed' : 'exam.failed'))));
      if (result.feedback) lines.push(h('p', { class: 'prose' }, result.feedback));
      details = h('ol', { class: 'exam-results' }, result.results.map((r) => {
        const question = byId.get(r.question_id);
        const mine = state.answers[String(r.question_id)];
        return h('li', { dataset: { question: r.question_id, correct: String(r.correct) } },
          h('p', { class: 'exam-prompt' }, question?.question ?? ''),
          h('p', {}, t('exam.your_answer', { answer: answerText(question, mine) })),
          'correct_answer' in r ? h('p', {}, t('exam.correct_answer', { answer: answerText(question, r.correct_answer) })) : null,
          h('p', { class: 'hint' },
            r.correct === true ? t('exam.right') : r.correct === false ? t('exam.wrong') : t('exam.awaiting'), ' · ',
            t('exam.points_of', { n: r.points ?? '—', max: r.max_points })),
          r.feedback ? h('p', { class: 'prose' }, r.feedback) : null);
      }));
    } else {
      lines.push(h('p', { class: 'hint', id: 'exam-no-result' },
        state.status === 'submitted' ? t('exam.result_pending') : t('exam.result_hidden')));
    }
    clear(page, head(),
      h('div', { class: 'card exam-done' }, h('h2', {}, t('exam.done_title')), lines, details),
      h('p', {}, h('a', { href: '/exams' }, t('exam.back'))));
  }

  function draw() {
    if (!isCurrent()) return;
    page.dataset.state = state.status;
    page.dataset.joined = String(joined);
    if (state.status === 'not_started') intro();
    else if (state.status === 'in_progress') taking();
    else finished();
  }

  try {
    state = await api(`/api/exam-sessions/${sessionId}/state`);
  } catch (error) {
    clear(page, h('h1', {}, t('exam.title')), h('p', { class: 'form-error', role: 'alert' }, problem(error)),
      h('p', {}, h('a', { href: '/exams' }, t('exam.back'))));
    return () => undo.forEach((fn) => fn());
  }
  setState(state);
  draw();
  join();
  return () => {
    stopTimer();
    clearTimeout(textTimer);
    if (flushText) flushText();
    undo.forEach((fn) => fn());
  };
}
