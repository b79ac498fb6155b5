import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDevicePickers } from '../src/call/device-pickers.js';
import { DEVICES_KEY, LocalMedia, readChoices } from '../src/call/local-media.js';
import { FakeDocument, FakeEvent } from '../test-support/fake-dom.js';
import { el, press } from '../test-support/room-dom.js';
import { FakeMediaDevices, FakeMediaTrack, FakeMutationObserver, defaultDevices, fakePeer, fakeStorage } from '../test-support/fake-media.js';

/** Lets the chained promises (lists, switches, replaceTrack) run out. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** A video element that records setSinkId. */
function sinkable(/** @type {FakeDocument} */ doc) {
  const video = /** @type {any} */ (doc.createElement('video'));
  video.sinkId = '';
  video.setSinkId = async (/** @type {string} */ id) => {
    video.sinkId = id;
  };
  return video;
}

/** The room page's #tiles and device panel (room.html), on the fake DOM. */
function page() {
  const doc = new FakeDocument();
  const e = (/** @type {string} */ tag, /** @type {Record<string, string>} */ attributes = {}, /** @type {any[]} */ ...children) =>
    el(doc, tag, attributes, ...children);
  const selfVideo = sinkable(doc);
  const remoteVideo = sinkable(doc);
  const select = (/** @type {string} */ id) => {
    const s = /** @type {any} */ (e('select', { id }, e('option', {}, 'Looking…')));
    s.disabled = true;
    return s;
  };
  doc.body.append(
    e('div', { id: 'tiles' }, e('figure', { id: 'tile-self', class: 'tile self' }, selfVideo), e('figure', { id: 'tile-p2', class: 'tile remote' }, remoteVideo)),
    e('div', { class: 'controls' },
      e('div', { class: 'menu-anchor' },
        e('button', { id: 'toggle-devices', type: 'button', 'aria-expanded': 'false' }),
        e('div', { id: 'device-panel', class: 'popover device-panel', hidden: '' },
          select('camera-select'), select('mic-select'), select('speaker-select'), e('p', { id: 'device-notice' }))),
      e('button', { id: 'elsewhere', type: 'button' })),
  );
  return { doc, selfVideo, remoteVideo };
}

async function setup({ devices = new FakeMediaDevices(), storage = fakeStorage(), sinkSupported = true, acquire = true } = {}) {
  const { doc, selfVideo, remoteVideo } = page();
  const media = new LocalMedia({ mediaDevices: /** @type {any} */ (devices), storage: /** @type {any} */ (storage) });
  /** @type {Map<string, any>} */
  const peers = new Map();
  /** @type {string[]} */
  const notified = [];
  const pickers = installDevicePickers({
    doc: /** @type {any} */ (doc),
    media,
    mesh: { peers },
    mediaDevices: /** @type {any} */ (devices),
    storage: /** @type {any} */ (storage),
    notify: (text) => notified.push(text),
    sinkSupported,
    MutationObserver: /** @type {any} */ (FakeMutationObserver),
  });
  await settle();
  if (acquire) {
    const { stream } = await media.acquire();
    selfVideo.srcObject = stream;
    await settle();
  }
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const choose = async (/** @type {string} */ id, /** @type {string} */ value) => {
    byId(id).value = value;
    byId(id).dispatchEvent(new FakeEvent('change'));
    await settle();
  };
  const options = (/** @type {string} */ id) => byId(id).children.map((/** @type {any} */ o) => [o.value, o.textContent]);
  return { doc, devices, storage, media, peers, notified, pickers, byId, choose, options, selfVideo, remoteVideo };
}

test('before permission the selects wait, disabled; once the devices are started they list them, enabled, with the ones in use chosen', async () => {
  const t = await setup({ acquire: false });
  assert.deepEqual(t.options('camera-select'), [['', 'Camera (allow it to see the list)']]);
  assert.equal(t.byId('camera-select').disabled, true);
  await t.media.acquire();
  await settle();
  assert.deepEqual(t.options('camera-select'), [['cam-front', 'Front camera'], ['cam-usb', 'USB camera']]);
  assert.deepEqual(t.options('mic-select'), [['mic-built-in', 'Built-in microphone'], ['mic-headset', 'Headset microphone']]);
  assert.deepEqual(t.options('speaker-select'), [['spk-built-in', 'Built-in speakers'], ['spk-headset', 'Headset']]);
  for (const id of ['camera-select', 'mic-select', 'speaker-select']) assert.equal(t.byId(id).disabled, false, id);
  assert.equal(t.byId('camera-select').value, 'cam-front');
  assert.deepEqual(t.pickers.current(), { videoinput: 'cam-front', audioinput: 'mic-built-in', audiooutput: '' });
});

test('devices without labels are numbered', async () => {
  const devices = new FakeMediaDevices(defaultDevices().map((d) => ({ ...d, label: '' })));
  const t = await setup({ devices });
  assert.deepEqual(t.options('camera-select'), [['cam-front', 'Camera 1'], ['cam-usb', 'Camera 2']]);
  assert.deepEqual(t.options('speaker-select').map(([, text]) => text), ['Speaker 1', 'Speaker 2']);
});

test('a camera switch: replaceTrack on the senders of the old track only, no addTrack, choice remembered, self view re-attached', async () => {
  const t = await setup();
  const oldVideo = t.media.videoTrack;
  const audio = t.media.audioTrack;
  const screen = new FakeMediaTrack('video', { deviceId: 'screen', label: 'Screen' });
  const a = fakePeer([audio, oldVideo, screen]);
  const b = fakePeer([audio, oldVideo]);
  t.peers.set('p2', a).set('p3', b);
  t.media.setEnabled('cam', false); // the camera is off: it stays off
  await t.choose('camera-select', 'cam-usb');
  const now = t.media.videoTrack;
  assert.equal(now?.getSettings().deviceId, 'cam-usb');
  assert.equal(now?.enabled, false);
  assert.deepEqual(a.senders.map((s) => s.replaced), [[], [now], []], 'the microphone and screen senders are left alone');
  assert.deepEqual(b.senders.map((s) => s.replaced), [[], [now]]);
  assert.equal(a.pc.addTrackCalls + b.pc.addTrackCalls, 0);
  assert.equal(oldVideo?.readyState, 'ended');
  assert.equal(readChoices(/** @type {any} */ (t.storage)).videoinput, 'cam-usb');
  assert.equal(t.byId('device-notice').textContent, 'Now using USB camera.');
  assert.equal(t.selfVideo.srcObject, t.media.stream);
  assert.equal(t.pickers.current().videoinput, 'cam-usb');
});

test('a muted microphone stays muted on another device', async () => {
  const t = await setup();
  const peer = fakePeer([t.media.audioTrack]);
  t.peers.set('p2', peer);
  t.media.setEnabled('mic', false);
  await t.choose('mic-select', 'mic-headset');
  assert.equal(peer.senders[0].track, t.media.audioTrack);
  assert.equal(t.media.audioTrack?.enabled, false);
  assert.equal(t.pickers.current().audioinput, 'mic-headset');
  await t.pickers.choose('audioinput', 'mic-built-in'); // as a browser test does it
  assert.equal(t.pickers.current().audioinput, 'mic-built-in');
  assert.equal(t.byId('mic-select').value, 'mic-built-in');
  assert.equal(peer.senders[0].replaced.length, 2);
});

test('the speaker: setSinkId on every tile video, on the ones added later, remembered and restored', async () => {
  const storage = fakeStorage();
  const t = await setup({ storage });
  await t.choose('speaker-select', 'spk-headset');
  assert.equal(t.remoteVideo.sinkId, 'spk-headset');
  assert.equal(t.byId('device-notice').textContent, 'Now playing through Headset.');
  const later = sinkable(t.doc);
  t.byId('tiles').append(el(t.doc, 'figure', { class: 'tile remote' }, later));
  FakeMutationObserver.flush();
  await settle();
  assert.equal(later.sinkId, 'spk-headset');
  assert.equal(readChoices(/** @type {any} */ (storage)).audiooutput, 'spk-headset');
  t.pickers.dispose();

  const again = await setup({ storage });
  assert.equal(again.remoteVideo.sinkId, 'spk-headset');
  assert.equal(again.byId('speaker-select').value, 'spk-headset');
  assert.equal(again.pickers.current().audiooutput, 'spk-headset');
  again.pickers.dispose();
});

test('a speaker the browser refuses: the previous one stays, and it says why', async () => {
  const t = await setup();
  t.remoteVideo.setSinkId = async () => {
    throw Object.assign(new Error('no'), { name: 'NotAllowedError' });
  };
  await t.choose('speaker-select', 'spk-headset');
  assert.equal(t.pickers.current().audiooutput, '');
  assert.equal(t.byId('device-notice').textContent, 'That speaker cannot be used (NotAllowedError).');
  t.pickers.dispose();
});

test('without setSinkId the speaker select is disabled and says why', async () => {
  const t = await setup({ sinkSupported: false });
  assert.deepEqual(t.options('speaker-select'), [['', 'Set by your system']]);
  assert.equal(t.byId('speaker-select').disabled, true);
  assert.match(t.byId('speaker-select').title, /cannot choose a speaker/);
  t.pickers.dispose();
});

test('the camera in use unplugged: the other one takes over on every peer, with a notice; the choice is not overwritten', async () => {
  const storage = fakeStorage({ [DEVICES_KEY]: JSON.stringify({ videoinput: 'cam-front' }) });
  const t = await setup({ storage });
  const peer = fakePeer([t.media.audioTrack, t.media.videoTrack]);
  t.peers.set('p2', peer);
  t.devices.unplug('cam-front');
  await settle();
  assert.equal(t.media.deviceId('videoinput'), 'cam-usb');
  assert.equal(peer.senders[1].track, t.media.videoTrack);
  assert.equal(peer.senders[1].replaced.length, 1, 'one recovery, though both "ended" and "devicechange" came');
  assert.deepEqual(t.notified, ['Your camera was unplugged. Now using USB camera.']);
  assert.deepEqual(t.options('camera-select'), [['cam-usb', 'USB camera']]);
  assert.equal(readChoices(/** @type {any} */ (storage)).videoinput, 'cam-front');
  t.pickers.dispose();
});

test('the only camera unplugged: said so; a new camera plugged in is listed, not switched to', async () => {
  const devices = new FakeMediaDevices(defaultDevices().filter((d) => d.deviceId !== 'cam-usb'));
  const t = await setup({ devices });
  devices.unplug('cam-front');
  await settle();
  assert.deepEqual(t.notified, ['Your camera was unplugged, and there is no other camera.']);
  devices.plug({ deviceId: 'cam-back', kind: 'videoinput', label: 'Camera again' });
  await settle();
  assert.deepEqual(t.options('camera-select'), [['', 'Choose a camera'], ['cam-back', 'Camera again']]);
  assert.equal(t.byId('camera-select').value, '');
  const peer = fakePeer([t.media.audioTrack, t.media.videoTrack]); // the sender still holds the ended track
  t.peers.set('p2', peer);
  await t.choose('camera-select', 'cam-back');
  assert.equal(peer.senders[1].track, t.media.videoTrack);
  assert.equal(t.media.deviceId('videoinput'), 'cam-back');
  devices.plug({ deviceId: 'mic-usb', kind: 'audioinput', label: 'USB microphone' });
  await settle();
  assert.deepEqual(t.options('mic-select').map(([id]) => id), ['mic-built-in', 'mic-headset', 'mic-usb']);
  assert.equal(t.media.deviceId('audioinput'), 'mic-built-in');
  assert.equal(t.byId('device-notice').textContent, 'USB microphone is now available: choose it here to use it.');
  assert.equal(t.notified.length, 1);
  t.pickers.dispose();
});

test('the speaker in use unplugged: back to the default, with a notice', async () => {
  const t = await setup();
  await t.choose('speaker-select', 'spk-headset');
  t.devices.unplug('spk-headset');
  await settle();
  assert.equal(t.remoteVideo.sinkId, '');
  assert.deepEqual(t.notified, ['Your speaker was unplugged. Now playing through the default speaker.']);
  t.pickers.dispose();
});

test('no camera when the call started: a camera chosen later is saved for the next join (no track to replace)', async () => {
  const devices = new FakeMediaDevices(defaultDevices().filter((d) => d.kind !== 'videoinput'));
  const t = await setup({ devices });
  assert.deepEqual(t.options('camera-select'), [['', 'No camera found']]);
  devices.plug({ deviceId: 'cam-new', kind: 'videoinput', label: 'New camera' });
  await settle();
  assert.equal(t.byId('camera-select').disabled, false);
  assert.equal(t.byId('camera-select').value, '', 'nothing is in use: "Choose a camera"');
  const peer = fakePeer([t.media.audioTrack]);
  t.peers.set('p2', peer);
  await t.choose('camera-select', 'cam-new');
  assert.equal(t.byId('device-notice').textContent, 'Saved: New camera is used the next time you join the call.');
  assert.equal(peer.pc.addTrackCalls, 0);
  assert.equal(t.media.video, false);
  t.pickers.dispose();
});

test('a remembered device that is gone at the start: the default one, and the user is told', async () => {
  const storage = fakeStorage({ [DEVICES_KEY]: JSON.stringify({ videoinput: 'cam-gone', audiooutput: 'spk-gone' }) });
  const t = await setup({ storage });
  assert.equal(t.media.deviceId('videoinput'), 'cam-front');
  assert.deepEqual(t.notified, ['The camera you chose before is not connected; using “Front camera” instead.']);
  assert.equal(t.remoteVideo.sinkId, '');
  t.pickers.dispose();
});

test('the Devices button opens and closes the panel; Escape closes it and gives the focus back; a click elsewhere closes it', async () => {
  const t = await setup({ storage: /** @type {any} */ (fakeStorage({}, { hostile: true })) });
  const button = t.byId('toggle-devices');
  const panel = t.byId('device-panel');
  button.click();
  assert.equal(panel.hidden, false);
  assert.equal(button.getAttribute('aria-expanded'), 'true');
  button.click();
  assert.equal(panel.hidden, true);
  button.click();
  press(t.byId('camera-select'), 'Escape');
  assert.equal(panel.hidden, true);
  assert.equal(t.doc.activeElement, button);
  button.click();
  t.byId('camera-select').click();
  assert.equal(panel.hidden, false);
  t.byId('elsewhere').click();
  assert.equal(panel.hidden, true);
  assert.equal(button.getAttribute('aria-expanded'), 'false');
  t.pickers.dispose();
});

test('no mediaDevices at all (an insecure page): the selects say there is nothing, nothing throws', async () => {
  const { doc } = page();
  const media = new LocalMedia({ mediaDevices: undefined });
  const pickers = installDevicePickers({ doc: /** @type {any} */ (doc), media, mesh: { peers: new Map() }, mediaDevices: undefined, sinkSupported: false });
  await settle();
  await media.acquire();
  assert.equal(/** @type {any} */ (doc.getElementById('camera-select')).disabled, true);
  assert.deepEqual(pickers.current(), { videoinput: null, audioinput: null, audiooutput: '' });
  pickers.dispose();
});
