// Mesh WebRTC: one RTCPeerConnection per other participant, signaled through the room's
// `rtc:offer` / `rtc:answer` / `rtc:ice` relays (each addressed `to` a participant id).
//
// Of each pair, the participant with the larger id offers and the other answers, so two
// offers never cross. A new offer always replaces the answerer's connection with that peer,
// so the offerer restarts a pair simply by offering again: when it hears the other
// (re)join while their connection is not up, or when the connection fails.
// Media changes never renegotiate: mute and camera toggle tracks, screen share replaces the
// video track.

const RESTART_AFTER_DISCONNECT = 5_000;

export class Mesh {
  /**
   * @param {object} o
   * @param {number} o.me  this participant's id
   * @param {RTCIceServer[]} o.iceServers  from the room's join info
   * @param {MediaStream|null} o.stream  the local camera and microphone (may be null)
   * @param {(event: string, data: object) => Promise} o.send  emits one relay event
   * @param {(pid: number, stream: MediaStream) => void} o.onStream  remote media arrived
   * @param {(pid: number, state: string) => void} o.onState  connection state changes
   */
  constructor({ me, iceServers, stream, send, onStream, onState }) {
    this.me = me;
    this.config = { iceServers: iceServers || [] };
    this.stream = stream;
    this.send = send;
    this.onStream = onStream;
    this.onState = onState;
    this.peers = new Map();
    this.videoOverride = null; // the screen's track while sharing
  }

  offers(pid) {
    return this.me > pid;
  }

  localTrack(kind) {
    if (kind === 'video' && this.videoOverride) return this.videoOverride;
    return this.stream?.getTracks().find((track) => track.kind === kind) || null;
  }

  /** Someone is (again) in the room: make sure a connection with them is up or coming. */
  connect(pid) {
    const peer = this.peers.get(pid);
    if (peer && peer.pc.connectionState === 'connected') return;
    if (this.offers(pid)) {
      this.offer(pid).catch((error) => console.warn('offer failed', error));
    } else if (peer && ['failed', 'closed'].includes(peer.pc.connectionState)) {
      this.drop(pid); // their new offer will build it again
    }
  }

  create(pid) {
    this.drop(pid);
    const pc = new RTCPeerConnection(this.config);
    const peer = { pc, pending: [], remote: new MediaStream(), timer: null };
    this.peers.set(pid, peer);
    pc.onicecandidate = (event) => {
      this.send('rtc:ice', { to: pid, candidate: event.candidate ? event.candidate.toJSON() : null }).catch(() => {});
    };
    pc.ontrack = (event) => {
      for (const old of peer.remote.getTracks().filter((t) => t.kind === event.track.kind)) peer.remote.removeTrack(old);
      peer.remote.addTrack(event.track);
      this.onStream(pid, peer.remote);
    };
    pc.onconnectionstatechange = () => {
      if (this.peers.get(pid) !== peer) return;
      const state = pc.connectionState;
      this.onState(pid, state);
      clearTimeout(peer.timer);
      if (state === 'failed' && this.offers(pid)) {
        peer.timer = setTimeout(() => this.offer(pid).catch(() => {}), 1_000);
      } else if (state === 'disconnected' && this.offers(pid)) {
        peer.timer = setTimeout(() => {
          if (pc.connectionState !== 'connected') this.offer(pid).catch(() => {});
        }, RESTART_AFTER_DISCONNECT);
      }
    };
    return peer;
  }

  async offer(pid) {
    const peer = this.create(pid);
    const { pc } = peer;
    for (const kind of ['audio', 'video']) {
      const track = this.localTrack(kind);
      if (track) pc.addTrack(track, this.stream || new MediaStream([track]));
      else pc.addTransceiver(kind, { direction: 'sendrecv' });
    }
    await pc.setLocalDescription(await pc.createOffer());
    await this.send('rtc:offer', { to: pid, sdp: pc.localDescription.sdp });
  }

  async onOffer(pid, sdp) {
    const peer = this.create(pid);
    const { pc } = peer;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of pc.getTransceivers()) {
      const track = this.localTrack(transceiver.receiver.track.kind);
      transceiver.direction = 'sendrecv';
      if (track) {
        await transceiver.sender.replaceTrack(track);
        if (this.stream && transceiver.sender.setStreams) transceiver.sender.setStreams(this.stream);
      }
    }
    await this.flush(peer);
    await pc.setLocalDescription(await pc.createAnswer());
    await this.send('rtc:answer', { to: pid, sdp: pc.localDescription.sdp });
  }

  async onAnswer(pid, sdp) {
    const peer = this.peers.get(pid);
    if (!peer || peer.pc.signalingState !== 'have-local-offer') return;
    await peer.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flush(peer);
  }

  async onIce(pid, candidate) {
    const peer = this.peers.get(pid);
    if (!peer) return;
    if (!peer.pc.remoteDescription) {
      peer.pending.push(candidate);
      return;
    }
    await this.add(peer, candidate);
  }

  async flush(peer) {
    const pending = peer.pending.splice(0);
    for (const candidate of pending) await this.add(peer, candidate);
  }

  async add(peer, candidate) {
    try {
      await peer.pc.addIceCandidate(candidate || null);
    } catch {
      // a candidate of a connection this one replaced
    }
  }

  /** Send another video track (the screen) to everyone, or the camera's again (null). */
  async replaceVideo(track) {
    this.videoOverride = track;
    const next = this.localTrack('video');
    for (const { pc } of this.peers.values()) {
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.receiver.track.kind === 'video' && transceiver.currentDirection !== 'stopped') {
          await transceiver.sender.replaceTrack(next);
        }
      }
    }
  }

  drop(pid) {
    const peer = this.peers.get(pid);
    if (!peer) return;
    clearTimeout(peer.timer);
    this.peers.delete(pid);
    peer.pc.onconnectionstatechange = null;
    peer.pc.close();
  }

  closeAll() {
    for (const pid of [...this.peers.keys()]) this.drop(pid);
  }

  state(pid) {
    return this.peers.get(pid)?.pc.connectionState || 'new';
  }
}
