// A room by its code (`/r/<code>`, `/rooms/<code>`): join info, the device check, the
// password, the lobby, the room (video grid, controls, host panel, consent, recording), and a
// reconnect that takes the same seat again (the server keeps it for a grace period).
import { api } from '../../core/api.js';
import { clear, h, toast } from '../../core/dom.js';
import { fmt, t } from '../../core/i18n.js';
import { realtime } from '../../core/socket.js';
import { problem } from '../auth.js';
import { consentDialog } from './consent.js';
import { drawHostPanel } from './host.js';
import { Mesh } from './mesh.js';
import { prejoin } from './prejoin.js';
import { Tiles } from './tiles.js';

const FINAL = { left: 'room.left', ended: 'room.ended', removed: 'room.removed', denied: 'room.denied', denied_recording: 'room.denied_recording' };

export async function roomView({ main, params }) {
  const code = params.code;
  const root = h('section', { class: 'page room', dataset: { state: 'loading' } });
  main.append(root);
  let info;
  try {
    info = await api(`/api/rooms/${encodeURIComponent(code)}`);
  } catch (error) {
    clear(root, h('h1', {}, t('room.title')), h('p', { role: 'alert' }, error.status === 404 ? t('room.missing') : problem(error)),
      h('p', {}, h('a', { href: '/' }, t('nav.today'))));
    return undefined;
  }
  const session = new RoomSession(root, code, info);
  session.start();
  return () => session.destroy();
}

class RoomSession {
  constructor(root, code, info) {
    this.root = root;
    this.code = code;
    this.info = info;
    this.state = 'prejoin';
    this.password = null;
    this.stream = null;
    this.screen = null;
    this.micOn = true;
    this.camOn = true;
    this.me = null;
    this.participants = new Map();
    this.knocks = new Map();
    this.recording = 'not_started';
    this.saved = new Map(); // recording id -> {status, url}: files stored during this visit
    this.mesh = null;
    this.tiles = null;
    this.offs = [];
    this.consent = consentDialog((granted) => realtime.emit('recording:consent', { granted }));
  }

  setState(state) {
    this.state = state;
    this.root.dataset.state = state;
  }

  heading() {
    return h('div', { class: 'room-head' },
      h('h1', {}, this.info.title),
      h('p', { class: 'hint' }, fmt.range(this.info.scheduled_start, this.info.scheduled_end)),
      h('p', { class: 'rec', role: 'status', hidden: this.recording !== 'recording', id: 'rec-indicator' },
        h('span', { class: 'rec-dot', 'aria-hidden': 'true' }), t('room.recording')),
      h('p', { class: 'rec-pending', role: 'status', hidden: this.recording !== 'pending_consent' }, t('room.rec_pending')),
      h('p', { class: 'reconnecting', role: 'status', hidden: realtime.connected }, t('room.reconnecting')));
  }

  start() {
    const on = (event, fn) => this.offs.push(realtime.on(event, (data) => fn.call(this, data)));
    on('participant:joined', this.onJoined);
    on('participant:left', this.onLeft);
    on('participant:updated', this.onUpdated);
    on('lobby:knock', this.onKnock);
    on('lobby:admitted', (snapshot) => this.enter(snapshot));
    on('lobby:denied', (d) => this.finish(d?.reason === 'recording' ? 'denied_recording' : 'denied'));
    on('lobby:returned', this.onReturned);
    on('rtc:offer', (d) => this.mesh?.onOffer(d.from, d.sdp).catch((e) => console.warn(e)));
    on('rtc:answer', (d) => this.mesh?.onAnswer(d.from, d.sdp).catch((e) => console.warn(e)));
    on('rtc:ice', (d) => this.mesh?.onIce(d.from, d.candidate));
    on('recording:consent-request', this.onConsentRequest);
    on('recording:state', this.onRecording);
    on('room:ended', () => this.finish('ended'));
    on('removed', () => this.finish('removed'));
    on('connect', () => this.onReconnect());
    on('disconnect', () => this.banner(true));
    if (!this.info.joinable) {
      clear(this.root, this.heading(), h('p', { role: 'alert' }, t('room.not_joinable', { status: t(`room_status.${this.info.status}`) })));
      this.setState('closed');
      return;
    }
    this.showPrejoin('');
  }

  banner(disconnected) {
    this.root.querySelector('.reconnecting')?.toggleAttribute('hidden', !disconnected);
  }

  showPrejoin(error) {
    this.setState('prejoin');
    const box = h('div', { class: 'card' });
    clear(this.root, this.heading(), box);
    this.check = prejoin(box, this.info, {
      error,
      stream: this.stream,
      onJoin: ({ stream, password, micOn, camOn }) => {
        this.stream = stream;
        this.password = password;
        this.micOn = micOn && Boolean(stream?.getAudioTracks().length);
        this.camOn = camOn && Boolean(stream?.getVideoTracks().length);
        this.applyLocalMedia();
        this.join();
      },
    });
  }

  applyLocalMedia() {
    this.stream?.getAudioTracks().forEach((track) => { track.enabled = this.micOn; });
    this.stream?.getVideoTracks().forEach((track) => { track.enabled = this.camOn; });
  }

  async join() {
    this.setState('joining');
    try {
      await realtime.ready();
      const ack = await realtime.emit('room:join', { room_code: this.code, password: this.password || null });
      this.check?.stop(true);
      if (ack.status === 'joined') this.enter(ack);
      else this.showLobby(ack);
    } catch (error) {
      if (this.state === 'gone') return;
      const message = t(`error.${error.code}`) !== `error.${error.code}` ? t(`error.${error.code}`) : (error.message || t('error.generic'));
      this.showPrejoin(message);
    }
  }

  showLobby(snapshot) {
    if (snapshot?.you) this.me = snapshot.you;
    this.mesh?.closeAll();
    this.tiles?.clear();
    this.setState('lobby');
    const preview = h('video', { class: 'preview mirror', autoplay: true, playsinline: true });
    preview.muted = true;
    preview.srcObject = this.stream;
    clear(this.root, this.heading(), h('div', { class: 'card lobby' },
      h('h2', {}, t('room.lobby_title')),
      h('p', { role: 'status' }, t('room.lobby_text')),
      this.stream ? h('div', { class: 'preview-box' }, preview) : null,
      h('button', { type: 'button', onclick: () => this.leave() }, t('room.leave'))));
  }

  enter(snapshot) {
    this.me = snapshot.you;
    this.recording = snapshot.room?.recording || this.recording;
    this.participants = new Map(snapshot.participants.map((p) => [p.participant_id, p]));
    if (this.state !== 'joined') this.drawRoom();
    this.setState('joined');
    this.updateIndicators();
    const present = new Set(this.participants.keys());
    for (const pid of this.tiles.ids()) if (!present.has(pid)) this.removePeer(pid);
    for (const p of this.participants.values()) {
      if (p.participant_id === this.me.participant_id) continue;
      this.tiles.remote(p);
      this.mesh.connect(p.participant_id);
    }
    const mine = this.participants.get(this.me.participant_id);
    if (mine && (mine.muted !== !this.micOn || mine.video !== this.camOn || mine.screen !== Boolean(this.screen))) {
      this.update({ muted: !this.micOn, video: this.camOn, screen: Boolean(this.screen) });
    }
    this.drawHost();
  }

  drawRoom() {
    this.mesh?.closeAll();
    this.mesh = new Mesh({
      me: this.me.participant_id,
      iceServers: this.info.ice_servers,
      stream: this.stream,
      send: (event, data) => realtime.emit(event, data),
      onStream: (pid, stream) => this.tiles.attach(pid, stream),
      onState: (pid, state) => this.tiles.connection(pid, state),
    });
    const grid = h('div', { class: 'grid', role: 'list', 'aria-label': t('room.people') });
    this.tiles = new Tiles(grid, this.info.max_participants);
    this.controls = h('div', { class: 'controls', role: 'toolbar', 'aria-label': t('room.controls') });
    this.hostBox = h('aside', { class: 'host-panel', 'aria-labelledby': 'host-title', hidden: true });
    clear(this.root, this.heading(), h('div', { class: 'stage' }, grid, this.hostBox), this.controls);
    this.tiles.local(this.stream, this.participants.get(this.me.participant_id)?.display_name || t('room.you'));
    this.drawControls();
  }

  drawControls() {
    const toggle = (id, pressed, label, onclick) => h('button', { type: 'button', id, 'aria-pressed': String(pressed), onclick }, label);
    clear(this.controls,
      toggle('toggle-mic', !this.micOn, this.micOn ? t('room.mute') : t('room.unmute'), () => this.setMic(!this.micOn)),
      toggle('toggle-cam', !this.camOn, this.camOn ? t('room.cam_off') : t('room.cam_on'), () => this.setCam(!this.camOn)),
      navigator.mediaDevices?.getDisplayMedia
        ? toggle('toggle-screen', Boolean(this.screen), this.screen ? t('room.share_stop') : t('room.share'), () => this.toggleScreen()) : null,
      h('button', { type: 'button', id: 'leave-room', class: 'danger', onclick: () => this.leave() }, t('room.leave')));
    this.tiles?.localState({ muted: !this.micOn, video: this.camOn, screen: Boolean(this.screen) });
  }

  drawHost() {
    const host = this.me?.seat === 'host';
    this.hostBox.hidden = !host;
    this.root.classList.toggle('is-host', host);
    if (!host) return;
    drawHostPanel(this.hostBox, {
      knocks: this.knocks,
      participants: this.participants,
      me: this.me,
      recording: this.recording,
      saved: this.saved,
      canRecord: this.info.recording_enabled && Boolean(this.me.can_record),
      act: (event, data) => realtime.emit(event, data)
        .then(() => {
          if (event === 'lobby:admit' || event === 'lobby:deny') this.knocks.delete(data.participant_id);
        })
        .catch((error) => {
          if (error.code === 'participant_not_found') this.knocks.delete(data.participant_id);
          toast(error.message || t('error.generic'), { kind: 'error' });
        })
        .finally(() => this.drawHost()),
    });
  }

  update(changes) {
    realtime.emit('participant:update', changes).catch(() => {});
  }

  setMic(on) {
    this.micOn = on;
    this.applyLocalMedia();
    this.update({ muted: !on });
    this.drawControls();
  }

  setCam(on) {
    this.camOn = on;
    this.applyLocalMedia();
    this.update({ video: on });
    this.drawControls();
  }

  async toggleScreen() {
    if (this.screen) {
      this.screen.stop();
      this.screen = null;
    } else {
      try {
        const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
        this.screen = display.getVideoTracks()[0];
        this.screen.addEventListener('ended', () => { if (this.screen) this.toggleScreen(); });
      } catch {
        return; // the person cancelled the picker
      }
    }
    await this.mesh.replaceVideo(this.screen);
    this.tiles.localVideo(this.screen ? new MediaStream([this.screen]) : this.stream, Boolean(this.screen));
    this.update({ screen: Boolean(this.screen) });
    this.drawControls();
  }

  onJoined(p) {
    if (this.state !== 'joined' || !this.me) return;
    this.participants.set(p.participant_id, p);
    this.knocks.delete(p.participant_id);
    if (p.participant_id !== this.me.participant_id) {
      this.tiles.remote(p);
      this.mesh.connect(p.participant_id);
    }
    this.drawHost();
  }

  onLeft({ participant_id: pid }) {
    if (this.state !== 'joined') return;
    this.participants.delete(pid);
    this.removePeer(pid);
    this.drawHost();
  }

  removePeer(pid) {
    this.mesh?.drop(pid);
    this.tiles?.remove(pid);
  }

  onUpdated(p) {
    if (this.state !== 'joined') return;
    this.participants.set(p.participant_id, p);
    if (p.participant_id === this.me.participant_id) {
      const becameHost = p.seat === 'host' && this.me.seat !== 'host';
      this.me = { ...this.me, seat: p.seat };
      if (becameHost) toast(t('room.now_host'));
      if (p.by && p.by !== this.me.participant_id && p.muted && this.micOn) {
        this.micOn = false;
        this.applyLocalMedia();
        this.drawControls();
        toast(t('room.muted_by_host'));
      }
    } else {
      this.tiles.remote(p);
    }
    this.drawHost();
  }

  onKnock(k) {
    this.knocks.set(k.participant_id, k);
    toast(t('room.knock', { name: k.display_name }));
    if (this.state === 'joined') this.drawHost();
  }

  onReturned() {
    toast(t('room.returned'));
    this.showLobby(null);
  }

  onConsentRequest({ requested_by: by }) {
    const name = this.participants.get(by)?.display_name || t('room.host');
    this.consent.ask(name);
  }

  onRecording({ status, refused_by: refusedBy, recording_id: id, file_status: fileStatus, download_url: url }) {
    if (url && ['ready', 'partial'].includes(fileStatus) && !this.saved.has(id)) {
      this.saved.set(id, { status: fileStatus, url });
      toast(t(fileStatus === 'partial' ? 'room.rec_saved_partial' : 'room.rec_saved'));
    }
    this.recording = status;
    if (status !== 'pending_consent') this.consent.withdraw();
    if (refusedBy) toast(t('room.rec_refused', { name: this.participants.get(refusedBy)?.display_name || '' }));
    this.updateIndicators();
    if (this.state === 'joined') this.drawHost();
  }

  updateIndicators() {
    this.root.querySelector('.rec')?.toggleAttribute('hidden', this.recording !== 'recording');
    this.root.querySelector('.rec-pending')?.toggleAttribute('hidden', this.recording !== 'pending_consent');
    this.root.dataset.recording = this.recording;
  }

  async onReconnect() {
    this.banner(false);
    if (this.state !== 'joined' && this.state !== 'lobby') return;
    try {
      const ack = await realtime.emit('room:join', { room_code: this.code, password: this.password || null });
      if (ack.status === 'joined') this.enter(ack);
      else this.showLobby(ack);
    } catch (error) {
      toast(problem(error), { kind: 'error' });
      this.finish(error.code === 'room_closed' ? 'ended' : 'left');
    }
  }

  leave() {
    if (this.state === 'joined' || this.state === 'lobby') realtime.emit('room:leave', {}).catch(() => {});
    this.finish('left');
  }

  release() {
    this.mesh?.closeAll();
    this.mesh = null;
    this.check?.stop(false);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.screen?.stop();
    this.stream = null;
    this.screen = null;
    this.consent.withdraw();
  }

  finish(kind) {
    if (this.state === 'gone') return;
    this.release();
    this.setState(kind);
    clear(this.root, this.heading(), h('div', { class: 'card' },
      h('p', { role: 'status', class: 'final' }, t(FINAL[kind] || 'room.left')),
      h('div', { class: 'row' },
        kind === 'left' ? h('button', { type: 'button', class: 'primary', onclick: () => this.showPrejoin('') }, t('room.rejoin')) : null,
        h('a', { href: '/', class: 'button' }, t('nav.today')))));
  }

  destroy() {
    if (this.state === 'joined' || this.state === 'lobby') realtime.emit('room:leave', {}).catch(() => {});
    this.release();
    this.state = 'gone';
    this.offs.forEach((off) => off());
    this.consent.remove();
  }
}
