// The host's panel: who knocks (admit, deny), who is in (mute, back to the lobby, remove),
// recording (and the files stored meanwhile), and ending the room for everyone.
import { download } from '../../core/api.js';
import { clear, h, toast } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { problem } from '../auth.js';

/**
 * @param {HTMLElement} box
 * @param {object} room  {knocks: Map, participants: Map, me, recording, saved: Map, canRecord, act(event, data)}
 */
export function drawHostPanel(box, room) {
  const act = (event, data, confirmText) => (clickEvent) => {
    if (confirmText && !window.confirm(confirmText)) return;
    clickEvent.currentTarget.disabled = true;
    room.act(event, data);
  };
  const knocks = [...room.knocks.values()];
  const others = [...room.participants.values()].filter((p) => p.participant_id !== room.me.participant_id);
  const recordingActive = ['recording', 'pending_consent'].includes(room.recording);
  clear(box,
    h('h2', { id: 'host-title' }, t('host.title')),
    h('section', { 'aria-labelledby': 'host-lobby' },
      h('h3', { id: 'host-lobby' }, t('host.lobby', { n: knocks.length })),
      knocks.length ? h('ul', { class: 'people' }, knocks.map((k) => h('li', { dataset: { knock: k.participant_id } },
        h('span', { class: 'who' }, k.display_name),
        h('button', { type: 'button', class: 'small primary', onclick: act('lobby:admit', { participant_id: k.participant_id }),
          'aria-label': t('host.admit_named', { name: k.display_name }) }, t('host.admit')),
        h('button', { type: 'button', class: 'small', onclick: act('lobby:deny', { participant_id: k.participant_id }),
          'aria-label': t('host.deny_named', { name: k.display_name }) }, t('host.deny')))))
        : h('p', { class: 'empty' }, t('host.nobody_waiting'))),
    h('section', { 'aria-labelledby': 'host-people' },
      h('h3', { id: 'host-people' }, t('host.people', { n: others.length })),
      others.length ? h('ul', { class: 'people' }, others.map((p) => h('li', { dataset: { person: p.participant_id } },
        h('span', { class: 'who' }, p.display_name, p.seat === 'host' ? ` (${t('room.host')})` : ''),
        h('button', { type: 'button', class: 'small', disabled: p.muted, onclick: act('host:mute', { participant_id: p.participant_id }),
          'aria-label': t('host.mute_named', { name: p.display_name }) }, t('host.mute')),
        h('button', { type: 'button', class: 'small', onclick: act('host:lobby', { participant_id: p.participant_id }),
          'aria-label': t('host.lobby_named', { name: p.display_name }) }, t('host.to_lobby')),
        h('button', { type: 'button', class: 'small danger', onclick: act('host:remove', { participant_id: p.participant_id }, t('host.remove_confirm', { name: p.display_name })),
          'aria-label': t('host.remove_named', { name: p.display_name }) }, t('host.remove')))))
        : h('p', { class: 'empty' }, t('host.alone'))),
    room.canRecord ? h('section', { 'aria-labelledby': 'host-rec' },
      h('h3', { id: 'host-rec' }, t('host.recording')),
      recordingActive
        ? h('button', { type: 'button', id: 'recording-stop', onclick: act('recording:stop', {}) }, t('host.rec_stop'))
        : h('button', { type: 'button', id: 'recording-request', onclick: act('recording:request', {}) }, t('host.rec_start')),
      h('p', { class: 'hint' }, t('host.rec_hint')),
      savedList(room.saved)) : null,
    h('button', { type: 'button', class: 'danger', id: 'room-end', onclick: act('room:end', {}, t('host.end_confirm')) }, t('host.end')));
}

function savedList(saved) {
  if (!saved?.size) return null;
  const items = [...saved.entries()].map(([id, file], index) => h('li', { dataset: { recording: id } },
    h('button', {
      type: 'button', class: 'small file',
      onclick: () => download(file.url).catch((error) => toast(problem(error), { kind: 'error' })),
    }, t(file.status === 'partial' ? 'host.rec_file_partial' : 'host.rec_file', { n: index + 1 }))));
  return h('div', { class: 'saved-recordings' }, h('h4', {}, t('host.rec_saved')), h('ul', { class: 'files' }, items));
}
