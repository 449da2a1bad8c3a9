// Before joining: the camera's picture, the microphone's level, the devices to use, whether
// to come in muted or without video, and the room's password when it has one.
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

function mediaProblem(error) {
  if (!navigator.mediaDevices?.getUserMedia) return t('prejoin.insecure');
  if (error?.name === 'NotAllowedError' || error?.name === 'SecurityError') return t('prejoin.denied');
  if (error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError') return t('prejoin.nodevice');
  if (error?.name === 'NotReadableError') return t('prejoin.busy');
  return t('prejoin.failed');
}

export async function openMedia({ camera, microphone } = {}) {
  return navigator.mediaDevices.getUserMedia({
    audio: microphone ? { deviceId: { exact: microphone } } : true,
    video: camera ? { deviceId: { exact: camera }, width: { ideal: 640 }, height: { ideal: 360 } }
      : { width: { ideal: 640 }, height: { ideal: 360 } },
  });
}

/** A level meter on the stream's microphone; returns its stop function. */
function levelMeter(stream, meter) {
  const track = stream?.getAudioTracks()[0];
  if (!track || !window.AudioContext) return () => {};
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 512;
  audio.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  let frame = 0;
  const tick = () => {
    analyser.getByteTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
    meter.value = Math.min(1, peak / 64);
    frame = requestAnimationFrame(tick);
  };
  const resume = () => audio.resume().catch(() => {});
  document.addEventListener('click', resume, { once: true });
  resume();
  tick();
  return () => {
    cancelAnimationFrame(frame);
    document.removeEventListener('click', resume);
    audio.close().catch(() => {});
  };
}

/**
 * Draw the check into `box`; `onJoin({stream, password, micOn, camOn})` when the person is
 * ready. Returns {stop, showError}; `stop(keepStream)` ends the preview.
 */
export function prejoin(box, info, { onJoin, error: initialError = '', stream: given = null }) {
  let stream = given;
  let stopMeter = () => {};
  const video = h('video', { class: 'preview mirror', autoplay: true, playsinline: true });
  video.muted = true;
  const meter = h('meter', { id: 'mic-level', min: 0, max: 1, low: 0.05, high: 0.8, optimum: 0.3, value: 0 });
  const cameraState = h('p', { class: 'check', dataset: { check: 'camera' } }, t('prejoin.checking'));
  const micState = h('p', { class: 'check', dataset: { check: 'microphone' } }, t('prejoin.checking'));
  const cameraSelect = h('select', { id: 'pick-camera' });
  const micSelect = h('select', { id: 'pick-mic' });
  const micOn = h('input', { type: 'checkbox', id: 'mic-on', checked: true });
  const camOn = h('input', { type: 'checkbox', id: 'cam-on', checked: true });
  const password = info.password_required
    ? h('div', { class: 'field' }, h('label', { for: 'room-password' }, t('prejoin.password')),
      h('input', { id: 'room-password', type: 'password', autocomplete: 'off', maxlength: 100 }),
      h('p', { class: 'hint' }, t('prejoin.password_hint')))
    : null;
  const failure = h('p', { class: 'form-error', role: 'alert', hidden: !initialError }, initialError);
  // Disabled until the camera and microphone answered (or failed): joining first would join without them.
  const joinButton = h('button', { type: 'submit', class: 'primary', id: 'join-room', disabled: true }, t('prejoin.join'));
  const form = h('form', { class: 'prejoin' },
    h('div', { class: 'preview-box' }, video),
    h('div', { class: 'stack' },
      h('h2', {}, t('prejoin.check')),
      cameraState,
      h('div', { class: 'field' }, h('label', { for: 'pick-camera' }, t('prejoin.camera')), cameraSelect),
      micState,
      h('div', { class: 'field' }, h('label', { for: 'mic-level' }, t('prejoin.level')), meter),
      h('div', { class: 'field' }, h('label', { for: 'pick-mic' }, t('prejoin.microphone')), micSelect),
      h('label', { for: 'mic-on', class: 'inline' }, micOn, ` ${t('prejoin.mic_on')}`),
      h('label', { for: 'cam-on', class: 'inline' }, camOn, ` ${t('prejoin.cam_on')}`),
      password, failure, joinButton));
  box.append(form);

  const release = () => {
    stopMeter();
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
  };

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const fill = (select, kind, current) => {
      const found = devices.filter((d) => d.kind === kind);
      select.replaceChildren(...found.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current },
        d.label || `${kind} ${i + 1}`)));
      select.disabled = found.length < 2;
    };
    fill(cameraSelect, 'videoinput', stream?.getVideoTracks()[0]?.getSettings().deviceId);
    fill(micSelect, 'audioinput', stream?.getAudioTracks()[0]?.getSettings().deviceId);
  }

  async function acquire(choice) {
    release();
    joinButton.disabled = true;
    try {
      stream = await openMedia(choice);
    } catch (error) {
      cameraState.textContent = mediaProblem(error);
      micState.textContent = '';
      cameraState.dataset.ok = 'false';
      joinButton.textContent = t('prejoin.join_without');
      joinButton.disabled = false;
      return;
    }
    show();
    joinButton.disabled = false;
    await listDevices();
  }

  function show() {
    video.srcObject = stream;
    const camera = stream.getVideoTracks()[0];
    const mic = stream.getAudioTracks()[0];
    cameraState.textContent = camera ? t('prejoin.camera_ok', { name: camera.label || '' }) : t('prejoin.nocamera');
    cameraState.dataset.ok = String(Boolean(camera));
    micState.textContent = mic ? t('prejoin.mic_ok', { name: mic.label || '' }) : t('prejoin.nomic');
    micState.dataset.ok = String(Boolean(mic));
    joinButton.textContent = t('prejoin.join');
    stopMeter();
    stopMeter = levelMeter(stream, meter);
  }

  cameraSelect.addEventListener('change', () => acquire({ camera: cameraSelect.value, microphone: micSelect.value }));
  micSelect.addEventListener('change', () => acquire({ camera: cameraSelect.value, microphone: micSelect.value }));
  camOn.addEventListener('change', () => { video.hidden = !camOn.checked; });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    failure.hidden = true;
    joinButton.disabled = true;
    stopMeter();
    onJoin({ stream, password: password ? form.querySelector('#room-password').value : null, micOn: micOn.checked, camOn: camOn.checked });
  });

  if (stream) {
    show();
    joinButton.disabled = false;
    listDevices();
  } else if (navigator.mediaDevices?.getUserMedia) {
    acquire({});
  } else {
    cameraState.textContent = mediaProblem(null);
    micState.textContent = '';
    joinButton.textContent = t('prejoin.join_without');
    joinButton.disabled = false;
  }

  return {
    stop(keepStream) {
      stopMeter();
      if (!keepStream) release();
    },
    showError(message) {
      failure.textContent = message;
      failure.hidden = !message;
      joinButton.disabled = false;
      if (stream) stopMeter = levelMeter(stream, meter);
    },
  };
}
