// Signing in (with the mailed 2FA code when the account needs one), and the pages of the
// mailed links: account activation and password reset.
import { api } from '../core/api.js';
import { busy, h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { internalPath, navigate } from '../core/router.js';
import { session } from '../core/session.js';

const MIN_PASSWORD = 10;

export function problem(error) {
  if (error.status === 0) return t('error.network');
  if (error.status === 429) return t('error.rate_limited', { s: error.retryAfter || 60 });
  const known = `error.${error.code}`;
  const text = t(known);
  const base = text !== known ? text : (error.detail || t('error.generic'));
  const details = (error.errors || []).map((e) => `${e.field ? `${e.field}: ` : ''}${e.message}`).join(' ');
  return details ? `${base} ${details}` : base;
}

function errorBox() {
  return h('p', { class: 'form-error', role: 'alert', hidden: true });
}

function showError(box, message) {
  box.textContent = message;
  box.hidden = !message;
}

function field(label, attrs) {
  const id = attrs.id || `f-${attrs.name}`;
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, ...attrs }));
}

/** The token of a mailed link, then out of the address bar (and of the history). */
function takeToken(query) {
  const token = query.token || '';
  if (token) history.replaceState(null, '', location.pathname);
  return token;
}

export function loginView({ main, query }) {
  const next = internalPath(query.next || '') || '/';
  const failure = errorBox();
  const card = h('section', { class: 'page narrow card' });
  main.append(card);

  const finish = (pair) => {
    session.adopt(pair);
    navigate(next.startsWith('/login') ? '/' : next, { replace: true });
  };

  const codeStep = (challenge) => {
    const codeError = errorBox();
    const form = h('form', {
      class: 'stack',
      onsubmit: (event) => {
        event.preventDefault();
        busy(form, async () => {
          showError(codeError, '');
          try {
            finish(await api('/api/auth/2fa/verify', {
              method: 'POST', auth: false, body: { challenge_token: challenge, code: form.code.value.trim() },
            }));
          } catch (error) {
            showError(codeError, problem(error));
            if (['code_expired', 'code_locked'].includes(error.code)) {
              codeError.append(' ', h('button', { type: 'button', class: 'link', onclick: passwordStep }, t('login.again')));
            }
          }
        });
      },
    },
    field(t('login.code'), {
      name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6,
      required: true, 'aria-describedby': 'code-help',
    }),
    h('p', { id: 'code-help', class: 'hint' }, t('login.code_help')),
    codeError,
    h('button', { type: 'submit', class: 'primary' }, t('login.verify')));
    card.replaceChildren(h('h1', {}, t('login.code_title')), form);
    form.code.focus();
  };

  const form = h('form', {
    class: 'stack',
    onsubmit: (event) => {
      event.preventDefault();
      busy(form, async () => {
        showError(failure, '');
        try {
          const answer = await api('/api/auth/login', {
            method: 'POST', auth: false, body: { email: form.email.value.trim(), password: form.password.value },
          });
          if (answer.two_factor_required) codeStep(answer.challenge_token);
          else finish(answer);
        } catch (error) {
          showError(failure, problem(error));
        }
      });
    },
  },
  field(t('login.email'), { name: 'email', type: 'email', autocomplete: 'username', required: true }),
  field(t('login.password'), { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
  failure,
  h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
  h('p', {}, h('a', { href: '/reset-password' }, t('login.forgot'))));
  function passwordStep() {
    card.replaceChildren(h('h1', {}, t('login.title')), form);
    form.email.focus();
  }
  card.replaceChildren(h('h1', {}, t('login.title')), form);
}

function passwordForm({ submitLabel, onSubmit }) {
  const failure = errorBox();
  const form = h('form', {
    class: 'stack',
    onsubmit: (event) => {
      event.preventDefault();
      if (form.password.value !== form.confirm.value) {
        showError(failure, t('password.mismatch'));
        form.confirm.focus();
        return;
      }
      busy(form, async () => {
        showError(failure, '');
        try {
          await onSubmit(form.password.value);
        } catch (error) {
          showError(failure, problem(error));
        }
      });
    },
  },
  field(t('password.new'), {
    name: 'password', type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD, required: true,
    'aria-describedby': 'password-help',
  }),
  h('p', { id: 'password-help', class: 'hint' }, t('password.rule', { n: MIN_PASSWORD })),
  field(t('password.confirm'), { name: 'confirm', type: 'password', autocomplete: 'new-password', required: true }),
  failure,
  h('button', { type: 'submit', class: 'primary' }, submitLabel));
  return form;
}

function done(card, title, text) {
  card.replaceChildren(h('h1', {}, title), h('p', { role: 'status' }, text),
    h('p', {}, h('a', { class: 'button primary', href: '/login' }, t('login.submit'))));
  card.querySelector('h1').tabIndex = -1;
  card.querySelector('h1').focus();
}

export function activateView({ main, query }) {
  const token = takeToken(query);
  const card = h('section', { class: 'page narrow card' });
  main.append(card);
  if (!token) {
    card.append(h('h1', {}, t('activate.title')), h('p', { role: 'alert' }, t('link.missing')));
    return;
  }
  card.append(h('h1', {}, t('activate.title')), h('p', {}, t('activate.text')),
    passwordForm({
      submitLabel: t('activate.submit'),
      onSubmit: async (password) => {
        await api('/api/auth/activate', { method: 'POST', auth: false, body: { token, password } });
        done(card, t('activate.done_title'), t('activate.done'));
      },
    }));
}

export function resetView({ main, query }) {
  const token = takeToken(query);
  const card = h('section', { class: 'page narrow card' });
  main.append(card);
  if (token) {
    card.append(h('h1', {}, t('reset.title')),
      passwordForm({
        submitLabel: t('reset.submit'),
        onSubmit: async (password) => {
          await api('/api/auth/password-reset/confirm', { method: 'POST', auth: false, body: { token, password } });
          done(card, t('reset.done_title'), t('reset.done'));
        },
      }));
    return;
  }
  const failure = errorBox();
  const form = h('form', {
    class: 'stack',
    onsubmit: (event) => {
      event.preventDefault();
      busy(form, async () => {
        showError(failure, '');
        try {
          await api('/api/auth/password-reset', { method: 'POST', auth: false, body: { email: form.email.value.trim() } });
          card.replaceChildren(h('h1', {}, t('reset.request_title')), h('p', { role: 'status' }, t('reset.sent')),
            h('p', {}, h('a', { href: '/login' }, t('reset.back'))));
        } catch (error) {
          showError(failure, problem(error));
        }
      });
    },
  },
  h('p', {}, t('reset.request_text')),
  field(t('login.email'), { name: 'email', type: 'email', autocomplete: 'email', required: true }),
  failure,
  h('button', { type: 'submit', class: 'primary' }, t('reset.request_submit')),
  h('p', {}, h('a', { href: '/login' }, t('reset.back'))));
  card.append(h('h1', {}, t('reset.request_title')), form);
}
