// The video grid: one tile per participant (the local one first), with their name, their
// media state (muted, camera off, sharing the screen, host) and the connection's state. The
// recorder gets none (`people.onGrid`).
import { clear, h, icon } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { onGrid } from './people.js';

function initials(name) {
  return String(name || '?').trim().split(/\s+/).map((part) => part[0]).join('').slice(0, 2).toUpperCase();
}

export class Tiles {
  constructor(grid, max) {
    this.grid = grid;
    this.max = max;
    this.tiles = new Map(); // participant id -> {el, video, caption, state}
    this.mine = null;
    this.counter = h('p', { class: 'count', 'aria-live': 'polite' });
    grid.before(this.counter);
  }

  count() {
    const n = this.tiles.size + (this.mine ? 1 : 0);
    this.grid.dataset.count = String(n);
    this.counter.textContent = this.max ? t('room.count_max', { n, max: this.max }) : t('room.count', { n });
  }

  make(name, local) {
    const video = h('video', { autoplay: true, playsinline: true, class: local ? 'local mirror' : 'remote' });
    if (local) video.muted = true;
    const icons = h('span', { class: 'icons' });
    const label = h('span', { class: 'name' }, name);
    const el = h('figure', { class: 'tile', role: 'listitem' },
      video, h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
      h('figcaption', {}, label, icons));
    return { el, video, icons, label };
  }

  icons(tile, state) {
    tile.el.classList.toggle('video-off', state.video === false);
    tile.el.classList.toggle('sharing', Boolean(state.screen));
    clear(tile.icons,
      state.seat === 'host' ? h('span', { class: 'icon', title: t('room.host') }, icon('star'), h('span', { class: 'sr-only' }, t('room.host'))) : null,
      state.muted ? h('span', { class: 'icon muted', title: t('room.is_muted') }, icon('micOff'), h('span', { class: 'sr-only' }, t('room.is_muted'))) : null,
      state.video === false ? h('span', { class: 'icon', title: t('room.video_off') }, icon('camOff'), h('span', { class: 'sr-only' }, t('room.video_off'))) : null,
      state.screen ? h('span', { class: 'icon', title: t('room.sharing') }, icon('screen'), h('span', { class: 'sr-only' }, t('room.sharing'))) : null,
      tile.connection && tile.connection !== 'connected'
        ? h('span', { class: 'icon conn-state', dataset: { state: tile.connection } }, t(`rtc.${tile.connection}`)) : null);
  }

  local(stream, name) {
    if (!this.mine) {
      this.mine = this.make(`${name} (${t('room.you')})`, true);
      this.mine.el.dataset.participant = 'me';
      this.grid.prepend(this.mine.el);
    }
    this.mine.video.srcObject = stream;
    if (!stream) this.mine.el.classList.add('video-off');
    this.count();
  }

  localVideo(stream, sharing) {
    if (!this.mine) return;
    this.mine.video.srcObject = stream;
    this.mine.video.classList.toggle('mirror', !sharing);
  }

  localState(state) {
    if (this.mine) this.icons(this.mine, state);
  }

  remote(p) {
    if (!onGrid(p)) return;
    let tile = this.tiles.get(p.participant_id);
    if (!tile) {
      tile = this.make(p.display_name, false);
      tile.el.dataset.participant = String(p.participant_id);
      tile.video.dataset.participant = String(p.participant_id);
      tile.connection = 'new';
      this.tiles.set(p.participant_id, tile);
      this.grid.append(tile.el);
      this.count();
    }
    tile.state = p;
    tile.label.textContent = p.display_name;
    this.icons(tile, p);
  }

  attach(pid, stream) {
    const tile = this.tiles.get(pid);
    if (!tile) return;
    if (tile.video.srcObject !== stream) tile.video.srcObject = stream;
    tile.video.play().catch(() => {
      // autoplay refused (no gesture yet): the next click plays it
      document.addEventListener('click', () => tile.video.play().catch(() => {}), { once: true });
    });
  }

  connection(pid, state) {
    const tile = this.tiles.get(pid);
    if (!tile) return;
    tile.connection = state;
    tile.el.dataset.connection = state;
    if (tile.state) this.icons(tile, tile.state);
  }

  remove(pid) {
    const tile = this.tiles.get(pid);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.el.remove();
    this.tiles.delete(pid);
    this.count();
  }

  ids() {
    return [...this.tiles.keys()];
  }

  clear() {
    for (const pid of this.ids()) this.remove(pid);
  }
}
