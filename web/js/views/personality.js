// The 16-type personality test for oneself (`/personality`): start or resume the session in
// progress, answer the statements one at a time on the five-point scale (previous / next,
// progress), complete it, read the result, and share it with the company's staff or stop
// sharing it. Texts come in the page's language (`?lang=`).
import { api } from '../core/api.js';
import { clear, h, toast } from '../core/dom.js';
import { currentLang, fmt, t } from '../core/i18n.js';
import { session as auth } from '../core/session.js';
import { problem } from './auth.js';

const PAIRS = [['e', 'i'], ['s', 'n'], ['t', 'f'], ['j', 'p']];

// A share of the first pole as a bar (set through the CSSOM: the CSP allows no inline style).
function bar(share) {
  const el = h('span', { class: 'mbti-bar', 'aria-hidden': 'true' });
  el.style.setProperty('--share', `${share}%`);
  return el;
}

export async function personalityView({ main, isCurrent }) {
  const page = h('section', { class: 'page narrow personality' }, h('h1', {}, t('mbti.title')), h('p', {}, t('loading')));
  main.append(page);
  const lang = currentLang();
  const query = { lang };
  let bank = null;
  let test = null; // the session in progress or shown
  let index = 0; // the question shown, 0-based
  const fail = (error) => toast(problem(error), { kind: 'error' });

  async function loadBank() {
    if (!bank) bank = await api('/api/personality/questions', { query });
    return bank;
  }

  function answersOf() {
    return new Map((test.answers || []).map((a) => [a.question_id, a.value]));
  }

  async function begin() {
    try {
      await loadBank();
      test = await api('/api/personality/sessions', { method: 'POST', query });
      if (!isCurrent()) return;
      index = Math.max(0, (test.current_question || 1) - 1);
      draw(true);
    } catch (error) {
      fail(error);
    }
  }

  async function answer(questionId, value) {
    try {
      test = await api(`/api/personality/sessions/${test.id}/answers`, { method: 'POST', query, body: { question_id: questionId, value } });
      if (!isCurrent()) return;
      const given = answersOf();
      const total = bank.questions.length;
      // On to the next unanswered question after this one (or the lowest one left).
      let next = index;
      for (let step = 1; step <= total; step += 1) {
        const candidate = (index + step) % total;
        if (!given.has(bank.questions[candidate].id)) { next = candidate; break; }
      }
      if (given.size === total) next = index;
      index = next;
      draw(true);
    } catch (error) {
      fail(error);
    }
  }

  async function complete(button) {
    button.disabled = true;
    try {
      test = await api(`/api/personality/sessions/${test.id}/complete`, { method: 'POST', query });
      if (isCurrent()) draw(true);
    } catch (error) {
      button.disabled = false;
      fail(error);
    }
  }

  async function share(on, button) {
    button.disabled = true;
    try {
      test = await api(`/api/personality/sessions/${test.id}/share`, { method: on ? 'PUT' : 'DELETE', query });
      if (!isCurrent()) return;
      draw(false);
      page.querySelector('#mbti-share')?.focus();
      toast(t(on ? 'mbti.shared_now' : 'mbti.unshared_now'));
    } catch (error) {
      button.disabled = false;
      fail(error);
    }
  }

  function intro(last) {
    const start = h('button', { type: 'button', class: 'primary', id: 'mbti-start', onclick: begin }, t(last ? 'mbti.again' : 'mbti.start'));
    return h('div', { class: 'card' },
      h('p', {}, t('mbti.intro')),
      h('p', { class: 'hint' }, t('mbti.not_criterion')),
      h('div', { class: 'row' }, start));
  }

  function question() {
    const given = answersOf();
    const total = bank.questions.length;
    const item = bank.questions[index];
    const value = given.get(item.id);
    const name = `mbti-q-${item.id}`;
    const scale = h('ul', { class: 'likert' }, bank.scale.map((step) => {
      const id = `${name}-${step.value}`;
      return h('li', {}, h('label', { for: id, class: 'option' },
        h('input', { type: 'radio', id, name, value: String(step.value), checked: value === step.value, onchange: () => answer(item.id, step.value) }),
        h('span', { class: 'likert-value', 'aria-hidden': 'true' }, String(step.value)),
        h('span', {}, step.label)));
    }));
    const done = given.size === total;
    const completeButton = h('button', { type: 'button', class: 'primary', id: 'mbti-complete', disabled: !done }, t('mbti.complete'));
    completeButton.addEventListener('click', () => complete(completeButton));
    return h('div', { class: 'card' },
      h('p', { class: 'mbti-progress-text', id: 'mbti-progress-text' }, t('mbti.progress', { n: given.size, total })),
      h('progress', { max: total, value: given.size, 'aria-labelledby': 'mbti-progress-text' }),
      h('fieldset', { class: 'exam-question', dataset: { question: item.id } },
        h('legend', { id: 'mbti-prompt', tabindex: '-1' },
          h('span', { class: 'exam-count' }, t('mbti.question_of', { n: index + 1, total })),
          h('span', { class: 'exam-prompt' }, item.text)),
        scale),
      h('div', { class: 'row exam-moves' },
        h('button', { type: 'button', id: 'mbti-prev', disabled: index === 0, onclick: () => { index -= 1; draw(true); } }, t('exam.previous')),
        h('button', { type: 'button', id: 'mbti-next', disabled: index === total - 1, onclick: () => { index += 1; draw(true); } }, t('exam.next')),
        completeButton),
      done ? null : h('p', { class: 'hint' }, t('mbti.complete_hint')));
  }

  function result() {
    const found = test.result;
    const bars = h('dl', { class: 'mbti-scores' }, PAIRS.map(([a, b]) => [
      h('dt', {}, `${t(`mbti.pole_${a}`)} ${found.scores[a]}% · ${found.scores[b]}% ${t(`mbti.pole_${b}`)}`),
      h('dd', {}, bar(found.scores[a])),
    ]));
    const shared = test.shared_with_company;
    const shareButton = h('button', { type: 'button', id: 'mbti-share', dataset: { shared: String(shared) } },
      t(shared ? 'mbti.unshare' : 'mbti.share'));
    shareButton.addEventListener('click', () => share(!shared, shareButton));
    return [
      h('div', { class: 'card mbti-result', id: 'mbti-result' },
        h('p', { class: 'mbti-type', id: 'mbti-type' }, found.result_type),
        h('h2', {}, found.name),
        h('p', { class: 'prose' }, found.summary),
        bars,
        h('p', { class: 'hint' }, found.note),
        test.completed_at ? h('p', { class: 'hint' }, t('mbti.completed_on', { when: fmt.dateTime(test.completed_at) })) : null),
      h('div', { class: 'card' },
        h('h2', {}, t('mbti.sharing')),
        h('p', { id: 'mbti-share-state', role: 'status' }, t(shared ? 'mbti.shared_text' : 'mbti.private_text')),
        h('div', { class: 'row' }, shareButton)),
      intro(true),
    ];
  }

  function draw(focus) {
    if (!isCurrent()) return;
    const head = h('div', { class: 'page-head' }, h('h1', {}, t('mbti.title')));
    if (test && test.status === 'in_progress' && bank) clear(page, head, question());
    else if (test && test.result) clear(page, head, result());
    else clear(page, head, intro(false));
    page.dataset.state = test?.status || 'none';
    if (focus) (page.querySelector('#mbti-prompt') || page.querySelector('h1'))?.focus({ preventScroll: false });
  }

  try {
    const mine = await api('/api/personality/sessions', { query: { user_id: auth.user?.id, limit: 20, sort: '-id' } });
    const items = (mine.items || []).filter((s) => s.user_id === auth.user?.id || !auth.user);
    const open = items.find((s) => s.status === 'in_progress');
    const done = items.find((s) => s.status === 'completed' || s.status === 'shared' || s.result_type);
    const chosen = open || done;
    if (chosen) {
      if (open) await loadBank();
      test = await api(`/api/personality/sessions/${chosen.id}`, { query });
      index = Math.max(0, (test.current_question || 1) - 1);
    }
  } catch (error) {
    clear(page, h('h1', {}, t('mbti.title')), h('p', { class: 'form-error', role: 'alert' }, problem(error)));
    return;
  }
  draw(false);
}
