// The device panel (#toggle-devices, #device-panel): camera, microphone and speaker pickers,
// before joining and during the call. A camera or microphone switch swaps the track on every
// peer's sender (replaceTrack: no renegotiation); the speaker is each tile video's setSinkId,
// where the browser has it. Choices are remembered on this browser (local-media.js). When a
// device in use is unplugged another one takes over, with a notice; a new one joins the list.

import { Disclosure } from './disclosure.js';
import { deviceIdOf, readChoices, rememberChoice } from './device-choices.js';

/**
 * @typedef {import('./local-media.js').DeviceKind} DeviceKind
 * @typedef {import('./local-media.js').InputKind} InputKind
 * @typedef {import('./local-media.js').LocalMedia} LocalMedia
 * @typedef {{deviceId: string, kind: string, label: string}} Device
 *
 * @typedef {object} PickerOptions
 * @property {Document} doc
 * @property {LocalMedia} media
 * @property {{peers: Map<string, {pc: Pick<RTCPeerConnection, 'getSenders'>}>}} mesh
 * @property {MediaDevices | undefined | null} mediaDevices
 * @property {Storage | null} [storage]
 * @property {(text: string) => void} [notify] something the user must hear of (an unplugged device)
 * @property {boolean} [sinkSupported] whether media elements have setSinkId (detected by default)
 * @property {typeof MutationObserver} [MutationObserver] injectable for tests
 *
 * @typedef {object} DevicePickers
 * @property {() => Promise<void>} refresh lists the devices again
 * @property {(kind: DeviceKind, deviceId: string) => Promise<void>} choose what picking it in the select does
 * @property {() => {videoinput: string | null, audioinput: string | null, audiooutput: string}} current
 *   the devices in use ('' for the speaker: the default)
 * @property {() => void} dispose
 */

const KINDS = /** @type {const} */ ({
  videoinput: { select: 'camera-select', what: 'camera', What: 'Camera' },
  audioinput: { select: 'mic-select', what: 'microphone', What: 'Microphone' },
  audiooutput: { select: 'speaker-select', what: 'speaker', What: 'Speaker' },
});

/** @type {DeviceKind[]} */
const ALL_KINDS = ['videoinput', 'audioinput', 'audiooutput'];
/** @type {InputKind[]} */
const INPUT_KINDS = ['videoinput', 'audioinput'];

function detectSinkSupport() {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * @param {PickerOptions} options
 * @returns {DevicePickers}
 */
export function installDevicePickers({ doc, media, mesh, mediaDevices, storage = null, notify = () => {}, sinkSupported, MutationObserver: Observer }) {
  const canSink = sinkSupported ?? detectSinkSupport();
  /** @type {Record<DeviceKind, Device[]>} the devices with ids, as last listed */
  let lists = { videoinput: [], audioinput: [], audiooutput: [] };
  /** @type {Record<DeviceKind, number>} entries without an id (no permission yet) */
  let anonymous = { videoinput: 0, audioinput: 0, audiooutput: 0 };
  let listed = false;
  let speakerRestored = false;
  let sinkId = '';
  /** @type {WeakSet<object>} ended tracks with no device to take over: told once */
  const givenUp = new WeakSet();
  /** @type {WeakMap<object, string>} the sink each media element was given */
  const sinks = new WeakMap();
  /** Device work (switches, recoveries) one at a time. */
  let queue = Promise.resolve();
  /** @type {(() => void)[]} */
  const cleanups = [];

  const byId = (/** @type {string} */ id) => /** @type {HTMLElement | null} */ (doc.getElementById(id));
  const select = (/** @type {DeviceKind} */ kind) => /** @type {HTMLSelectElement | null} */ (byId(KINDS[kind].select));
  const say = (/** @type {string} */ text) => {
    const notice = byId('device-notice');
    if (notice) notice.textContent = text;
  };
  /** @param {() => Promise<void>} work */
  const serially = (work) => {
    const run = queue.then(work);
    queue = run.catch((error) => console.warn('confab: devices', error));
    return queue;
  };
  const labelOf = (/** @type {DeviceKind} */ kind, /** @type {string | null} */ id) => {
    const at = lists[kind].findIndex((d) => d.deviceId === id);
    return at < 0 ? null : lists[kind][at].label || `${KINDS[kind].What} ${at + 1}`;
  };

  const toggle = byId('toggle-devices');
  const panel = byId('device-panel');
  if (toggle && panel) {
    // Opening it lists again: labels come with permission, devices come and go.
    new Disclosure(doc, toggle, panel, { onChange: (open) => void (open && refresh()) });
  }

  for (const kind of ALL_KINDS) {
    const element = select(kind);
    if (!element) continue;
    const onChange = () => void choose(kind, element.value);
    element.addEventListener('change', onChange);
    cleanups.push(() => element.removeEventListener('change', onChange));
  }

  cleanups.push(
    media.onChange((event) => {
      if (event.type === 'acquired') {
        void refresh().then(() => {
          if (event.notice) {
            say(event.notice);
            notify(event.notice);
          }
        });
      } else if (event.type === 'ended') {
        void refresh().then(() => serially(() => recover(event.kind)));
      }
    }),
  );

  const onDeviceChange = () => void deviceChanged();
  if (mediaDevices?.addEventListener) {
    mediaDevices.addEventListener('devicechange', onDeviceChange);
    cleanups.push(() => mediaDevices.removeEventListener('devicechange', onDeviceChange));
  }

  const tiles = byId('tiles');
  const Observe = Observer ?? globalThis.MutationObserver;
  if (tiles && Observe) {
    const observer = new Observe(() => applySinkToAll());
    observer.observe(tiles, { childList: true, subtree: true });
    cleanups.push(() => observer.disconnect());
  }

  void refresh();

  /** Lists the devices and fills the selects. */
  async function refresh() {
    /** @type {Device[]} */
    let devices = [];
    try {
      devices = (await mediaDevices?.enumerateDevices?.()) ?? [];
    } catch {
      // no list: the selects say so
    }
    const before = lists;
    const wasListed = listed;
    lists = { videoinput: [], audioinput: [], audiooutput: [] };
    anonymous = { videoinput: 0, audioinput: 0, audiooutput: 0 };
    for (const device of devices) {
      const kind = /** @type {DeviceKind} */ (device.kind);
      if (!Object.hasOwn(KINDS, kind)) continue;
      if (typeof device.deviceId === 'string' && device.deviceId) {
        lists[kind].push({ deviceId: device.deviceId, kind, label: typeof device.label === 'string' ? device.label : '' });
      } else anonymous[kind]++;
    }
    listed = true;
    if (wasListed) announceNew(before);
    restoreSpeaker();
    for (const kind of ALL_KINDS) fill(kind);
  }

  /** A device plugged in is only listed: switching is the user's call. */
  function announceNew(/** @type {Record<DeviceKind, Device[]>} */ before) {
    for (const kind of ALL_KINDS) {
      if (!before[kind].length) continue; // the first list with ids (permission came): nothing is new
      const added = lists[kind].filter((d) => !before[kind].some((b) => b.deviceId === d.deviceId));
      for (const device of added) say(`${labelOf(kind, device.deviceId)} is now available: choose it here to use it.`);
    }
  }

  /** The remembered speaker, once the list (with ids) says whether it is there. */
  function restoreSpeaker() {
    if (speakerRestored || !canSink || !lists.audiooutput.length) return;
    speakerRestored = true;
    const remembered = readChoices(storage).audiooutput;
    if (!remembered) return;
    if (lists.audiooutput.some((d) => d.deviceId === remembered)) {
      sinkId = remembered;
      applySinkToAll();
    } else say('The speaker you chose before is not connected; using the default speaker.');
  }

  /** @param {DeviceKind} kind */
  function fill(kind) {
    const element = select(kind);
    if (!element) return;
    const { What, what } = KINDS[kind];
    element.textContent = '';
    /** @param {string} value @param {string} text */
    const option = (value, text) => {
      const item = /** @type {HTMLOptionElement} */ (doc.createElement('option'));
      item.value = value;
      item.textContent = text;
      element.append(item);
    };
    if (kind === 'audiooutput' && !canSink) {
      option('', 'Set by your system');
      element.title = 'This browser cannot choose a speaker for a page: change it in your system’s sound settings.';
      element.disabled = true;
      return;
    }
    if (!lists[kind].length) {
      option('', anonymous[kind] ? `${What} (allow it to see the list)` : `No ${what} found`);
      element.disabled = true;
      return;
    }
    // Started, but no track of this kind works: nothing in the list is "in use", so any choice counts.
    const track = kind === 'audiooutput' ? null : media.track(kind);
    const orphan = kind !== 'audiooutput' && !!media.stream && (!track || track.readyState === 'ended');
    if (orphan) option('', `Choose a ${what}`);
    lists[kind].forEach((device, i) => option(device.deviceId, device.label || `${What} ${i + 1}`));
    const inUse = kind === 'audiooutput' ? sinkId || null : orphan ? '' : media.deviceId(kind);
    const wanted = [inUse, readChoices(storage)[kind]].find((id) => id && lists[kind].some((d) => d.deviceId === id));
    element.value = orphan ? '' : (wanted ?? lists[kind][0].deviceId);
    element.title = '';
    element.disabled = false;
  }

  /** @param {DeviceKind} kind @param {string} deviceId */
  function choose(kind, deviceId) {
    return kind === 'audiooutput' ? chooseSpeaker(deviceId) : serially(() => chooseInput(kind, deviceId));
  }

  /** @param {InputKind} kind @param {string} deviceId */
  async function chooseInput(kind, deviceId) {
    if (!deviceId) return;
    const label = labelOf(kind, deviceId) ?? `this ${KINDS[kind].what}`;
    const result = await media.switchDevice(kind, deviceId, { replace: replaceSenders });
    if (result.outcome === 'later') {
      say(`Saved: ${label} is used the next time you join the call.`);
    } else if (result.outcome === 'failed') {
      say(result.problem ?? `Could not switch to ${label}.`);
      fill(kind); // back to the one in use
    } else if (result.outcome === 'switched') {
      say(`Now using ${label}.`);
      fill(kind); // also when chosen by choose(), not in the select
      if (kind === 'videoinput') reattachSelfView();
    }
  }

  /** @param {string} deviceId */
  async function chooseSpeaker(deviceId) {
    if (!canSink) return;
    const previous = sinkId;
    sinkId = deviceId;
    const failed = await applySinkToAll();
    if (failed) {
      sinkId = previous;
      await applySinkToAll();
      say(`That speaker cannot be used (${failed}).`);
      fill('audiooutput');
      return;
    }
    rememberChoice(storage, 'audiooutput', deviceId);
    fill('audiooutput');
    say(`Now playing through ${labelOf('audiooutput', deviceId) ?? 'the default speaker'}.`);
  }

  /** @returns {Promise<string | null>} the name of the first error, if any element refused */
  async function applySinkToAll() {
    if (!canSink || !tiles) return null;
    const elements = [...tiles.querySelectorAll('video'), ...tiles.querySelectorAll('audio')];
    const results = await Promise.all(elements.map((element) => applySink(/** @type {HTMLMediaElement} */ (element))));
    return results.find(Boolean) ?? null;
  }

  /** @param {HTMLMediaElement} element */
  async function applySink(element) {
    const target = sinkId;
    if (typeof element.setSinkId !== 'function' || (sinks.get(element) ?? '') === target) return null;
    sinks.set(element, target);
    try {
      await element.setSinkId(target);
      return null;
    } catch (error) {
      sinks.delete(element);
      return error instanceof Error ? error.name : 'error';
    }
  }

  /**
   * Every sender of every peer that sent `old` sends `track` now. Screen senders never held a
   * camera or microphone track, so they are left alone.
   * @param {MediaStreamTrack} old
   * @param {MediaStreamTrack} track
   */
  async function replaceSenders(old, track) {
    for (const peer of mesh.peers.values()) {
      for (const sender of peer.pc.getSenders()) {
        if (sender.track !== old) continue;
        try {
          await sender.replaceTrack(track);
        } catch (error) {
          console.warn('confab: replaceTrack', error);
        }
      }
    }
  }

  /** Some browsers keep showing the old (ended) track until the stream is set again. */
  function reattachSelfView() {
    const video = /** @type {HTMLVideoElement | null} */ (doc.querySelector('#tile-self video'));
    if (!video || !media.stream || video.srcObject !== media.stream) return;
    video.srcObject = null;
    video.srcObject = media.stream;
    video.play?.()?.catch?.(() => {});
  }

  async function deviceChanged() {
    await refresh();
    await serially(async () => {
      for (const kind of INPUT_KINDS) await recover(kind);
      if (sinkId && lists.audiooutput.length && !lists.audiooutput.some((d) => d.deviceId === sinkId)) {
        sinkId = '';
        await applySinkToAll();
        fill('audiooutput');
        notify('Your speaker was unplugged. Now playing through the default speaker.');
      }
    });
  }

  /**
   * The device in use is gone (its track ended, or it is no longer listed): another one takes over.
   * @param {InputKind} kind
   */
  async function recover(kind) {
    const track = media.track(kind);
    if (!track || givenUp.has(track)) return;
    const id = deviceIdOf(track);
    const stillListed = lists[kind].some((d) => d.deviceId === id);
    if (track.readyState !== 'ended' && (stillListed || !lists[kind].length)) return;
    const { what } = KINDS[kind];
    const remembered = readChoices(storage)[kind];
    const others = lists[kind].map((d) => d.deviceId).filter((other) => other !== id);
    // The remembered one, then the system's default, then any; the same device last (it may be back).
    const order = [...new Set([remembered, 'default', ...others].filter((c) => c && others.includes(c)))];
    if (stillListed && id) order.push(id);
    for (const candidate of /** @type {string[]} */ (order)) {
      const result = await media.switchDevice(kind, candidate, { remember: false, replace: replaceSenders });
      if (result.outcome !== 'switched') continue;
      if (kind === 'videoinput') reattachSelfView();
      fill(kind);
      const label = result.track?.label || labelOf(kind, candidate) || `another ${what}`;
      notify(`Your ${what} was unplugged. Now using ${label}.`);
      say(`Now using ${label}.`);
      return;
    }
    fill(kind);
    givenUp.add(track);
    notify(order.length ? `Your ${what} was unplugged, and no other ${what} could be started.` : `Your ${what} was unplugged, and there is no other ${what}.`);
  }

  return {
    refresh,
    choose,
    current: () => ({ videoinput: media.deviceId('videoinput'), audioinput: media.deviceId('audioinput'), audiooutput: sinkId }),
    dispose: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
