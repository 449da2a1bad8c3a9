// The recording consent dialog: modal, and it cannot be dismissed without an answer (Escape
// and closing do nothing; it stays until "allow" or "decline" is accepted by the server, or
// the request is gone).
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

export function consentDialog(answer) {
  const text = h('p', { id: 'consent-text' });
  const failure = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const decline = h('button', { type: 'button', id: 'consent-decline' }, t('consent.decline'));
  const allow = h('button', { type: 'button', id: 'consent-allow', class: 'primary' }, t('consent.allow'));
  const dialog = h('dialog', { class: 'consent', 'aria-labelledby': 'consent-title', 'aria-describedby': 'consent-text' },
    h('h2', { id: 'consent-title' }, t('consent.title')), text, failure,
    h('div', { class: 'row' }, decline, allow));
  document.body.append(dialog);
  let waiting = false;

  dialog.addEventListener('cancel', (event) => event.preventDefault());
  dialog.addEventListener('close', () => {
    if (waiting) dialog.showModal(); // no answer yet: it comes back
  });

  const reply = async (granted) => {
    decline.disabled = true;
    allow.disabled = true;
    failure.hidden = true;
    try {
      await answer(granted);
      waiting = false;
      dialog.close();
    } catch (error) {
      if (error.code === 'no_consent_request') {
        waiting = false;
        dialog.close();
        return;
      }
      failure.textContent = error.message || t('error.generic');
      failure.hidden = false;
    } finally {
      decline.disabled = false;
      allow.disabled = false;
    }
  };
  decline.addEventListener('click', () => reply(false));
  allow.addEventListener('click', () => reply(true));

  return {
    ask(requester) {
      text.textContent = t('consent.text', { name: requester });
      waiting = true;
      if (!dialog.open) dialog.showModal();
      decline.focus();
    },
    /** The request ended without this answer (someone else declined, recording stopped). */
    withdraw() {
      waiting = false;
      if (dialog.open) dialog.close();
    },
    get open() {
      return dialog.open;
    },
    remove() {
      waiting = false;
      dialog.remove();
    },
  };
}
