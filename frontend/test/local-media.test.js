import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICES_KEY, LocalMedia, readChoices, rememberChoice } from '../src/call/local-media.js';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from '../src/call/media.js';
import { FakeMediaDevices, defaultDevices, fakeStorage, mediaError } from '../test-support/fake-media.js';

/** @param {Record<string, string | null>} choices */
const remembered = (choices) => fakeStorage({ [DEVICES_KEY]: JSON.stringify(choices) });

function setup({ devices = new FakeMediaDevices(), storage = fakeStorage() } = {}) {
  const media = new LocalMedia({ mediaDevices: /** @type {any} */ (devices), storage: /** @type {any} */ (storage) });
  /** @type {any[]} */
  const events = [];
  media.onChange((event) => events.push(event));
  return { devices, storage, media, events };
}

test('acquire: camera and microphone with the modest constraints, no problem, no notice', async () => {
  const { devices, media } = setup();
  const result = await media.acquire();
  assert.equal(result.audio, true);
  assert.equal(result.video, true);
  assert.equal(result.problem, null);
  assert.equal(result.notice, null);
  assert.deepEqual(devices.calls, [{ audio: { ...AUDIO_CONSTRAINTS }, video: { ...VIDEO_CONSTRAINTS } }]);
  assert.equal(media.deviceId('videoinput'), 'cam-front');
  assert.equal(media.deviceId('audioinput'), 'mic-built-in');
});

test('acquire is idempotent while live (also when called twice at once); after stop() it makes a new stream', async () => {
  const { devices, media, events } = setup();
  const [first, again] = await Promise.all([media.acquire(), media.acquire()]);
  assert.equal(first.stream, again.stream);
  assert.equal((await media.acquire()).stream, first.stream);
  assert.equal(devices.calls.length, 1);
  media.stop();
  assert.equal(media.stream, null);
  const next = await media.acquire();
  assert.notEqual(next.stream, first.stream);
  assert.equal(devices.calls.length, 2);
  assert.deepEqual(events.map((e) => e.type), ['acquired', 'stopped', 'acquired']);
});

test('stop() ends every local track, without an "ended" event (that would look like an unplug)', async () => {
  const { devices, media, events } = setup();
  await media.acquire();
  media.stop();
  assert.equal(devices.tracks.length, 2);
  assert.ok(devices.tracks.every((t) => t.readyState === 'ended'));
  assert.ok(!events.some((e) => e.type === 'ended'));
  media.stop(); // twice: harmless
});

test('stop() while acquiring: what arrives afterwards is stopped at once', async () => {
  const { devices, media } = setup();
  const pending = media.acquire();
  media.stop();
  const result = await pending;
  assert.equal(result.stream, null);
  assert.equal(media.stream, null);
  assert.ok(devices.tracks.every((t) => t.readyState === 'ended'));
});

test('the remembered devices are asked for exactly', async () => {
  const { devices, media } = setup({ storage: remembered({ videoinput: 'cam-usb', audioinput: 'mic-headset' }) });
  const result = await media.acquire();
  assert.equal(result.notice, null);
  assert.deepEqual(devices.calls[0].video.deviceId, { exact: 'cam-usb' });
  assert.deepEqual(devices.calls[0].audio.deviceId, { exact: 'mic-headset' });
  assert.equal(media.deviceId('videoinput'), 'cam-usb');
  assert.equal(devices.calls[0].video.width.ideal, VIDEO_CONSTRAINTS.width.ideal);
});

test('a remembered camera that the device list no longer has: the default one, said plainly; the microphone stays chosen', async () => {
  const devices = new FakeMediaDevices();
  devices.granted = true; // an earlier visit allowed it: the list has ids
  const { media } = setup({ devices, storage: remembered({ videoinput: 'cam-gone', audioinput: 'mic-headset' }) });
  const result = await media.acquire();
  assert.equal(result.video, true);
  assert.equal(media.deviceId('videoinput'), 'cam-front');
  assert.equal(media.deviceId('audioinput'), 'mic-headset');
  assert.equal(result.notice, 'The camera you chose before is not connected; using “Front camera” instead.');
});

test('a remembered device the browser refuses (OverconstrainedError, list not telling): retried with the defaults', async () => {
  const { devices, media, events } = setup({ storage: remembered({ videoinput: 'cam-gone' }) });
  const result = await media.acquire();
  assert.equal(result.video, true);
  assert.equal(result.audio, true);
  assert.equal(devices.calls.length, 2);
  assert.deepEqual(devices.calls[0].video.deviceId, { exact: 'cam-gone' });
  assert.equal(devices.calls[1].video.deviceId, undefined);
  assert.match(/** @type {string} */ (result.notice), /camera you chose before is not connected/);
  assert.equal(events[0].notice, result.notice);
});

test('no camera at all: the microphone alone, with media.js wording', async () => {
  const devices = new FakeMediaDevices(defaultDevices().filter((d) => d.kind !== 'videoinput'));
  const { media } = setup({ devices });
  const result = await media.acquire();
  assert.equal(result.video, false);
  assert.equal(result.audio, true);
  assert.equal(result.problem, 'Joining with your microphone only: no camera was found.');
});

test('permission denied: nothing, a plain explanation; no mediaDevices: https', async () => {
  const devices = new FakeMediaDevices();
  devices.allowed = false;
  const denied = await setup({ devices }).media.acquire();
  assert.equal(denied.stream, null);
  assert.match(/** @type {string} */ (denied.problem), /blocked for this site.*still join/);
  const insecure = await new LocalMedia({ mediaDevices: undefined }).acquire();
  assert.equal(insecure.stream, null);
  assert.match(/** @type {string} */ (insecure.problem), /https/);
});

test('setEnabled turns the tracks of one kind on and off', async () => {
  const { media } = setup();
  await media.acquire();
  media.setEnabled('mic', false);
  assert.equal(media.audioTrack?.enabled, false);
  assert.equal(media.videoTrack?.enabled, true);
  media.setEnabled('cam', false);
  media.setEnabled('mic', true);
  assert.equal(media.audioTrack?.enabled, true);
  assert.equal(media.videoTrack?.enabled, false);
});

test('switchDevice: same stream, new track keeps "enabled", old one stops only after replace, choice remembered', async () => {
  const { media, storage, events } = setup();
  const { stream } = await media.acquire();
  media.setEnabled('mic', false);
  const before = media.audioTrack;
  /** @type {string[]} */
  const seen = [];
  const result = await media.switchDevice('audioinput', 'mic-headset', {
    replace: async (old, track) => {
      seen.push(`${old.readyState}→${track.readyState}`);
    },
  });
  assert.equal(result.outcome, 'switched');
  assert.equal(result.old, before);
  assert.equal(media.stream, stream);
  assert.equal(media.audioTrack, result.track);
  assert.equal(stream?.getAudioTracks().length, 1);
  assert.equal(result.track?.enabled, false, 'a muted microphone stays muted');
  assert.equal(before?.readyState, 'ended');
  assert.deepEqual(seen, ['live→live']);
  assert.equal(media.deviceId('audioinput'), 'mic-headset');
  assert.equal(readChoices(storage).audioinput, 'mic-headset');
  assert.equal(events.at(-1).type, 'switched');
  assert.equal((await media.switchDevice('audioinput', 'mic-headset')).outcome, 'unchanged');
});

test('a system that opens one camera at a time (NotReadableError): the old one stops first, then it works', async () => {
  const { devices, media } = setup();
  devices.exclusiveCameras = true;
  await media.acquire();
  const old = media.videoTrack;
  const result = await media.switchDevice('videoinput', 'cam-usb');
  assert.equal(result.outcome, 'switched');
  assert.equal(old?.readyState, 'ended');
  assert.equal(media.deviceId('videoinput'), 'cam-usb');
  assert.equal(devices.live('video').length, 1);
});

test('a switch that cannot work twice gets the old camera back and says why', async () => {
  const { devices, media } = setup();
  await media.acquire();
  devices.failures.push(mediaError('NotReadableError'), mediaError('NotReadableError'));
  const result = await media.switchDevice('videoinput', 'cam-usb');
  assert.equal(result.outcome, 'failed');
  assert.match(/** @type {string} */ (result.problem), /^Could not switch: the camera is busy/);
  assert.equal(media.deviceId('videoinput'), 'cam-front');
  assert.equal(media.videoTrack?.readyState, 'live');
  assert.notEqual(result.track, result.old, 'a new track of the old camera: the senders must move to it');
});

test('switching to a device that is gone fails and keeps the one in use', async () => {
  const { media } = setup();
  await media.acquire();
  const old = media.videoTrack;
  const result = await media.switchDevice('videoinput', 'cam-gone');
  assert.equal(result.outcome, 'failed');
  assert.equal(result.problem, 'That camera is not connected any more.');
  assert.equal(media.videoTrack, old);
  assert.equal(old?.readyState, 'live');
});

test('a camera chosen while there is no camera track: remembered, and started by the next acquire into the same stream', async () => {
  const devices = new FakeMediaDevices(defaultDevices().filter((d) => d.kind !== 'videoinput'));
  const { media, storage } = setup({ devices });
  const first = await media.acquire();
  assert.equal(first.video, false);
  devices.plug({ deviceId: 'cam-new', kind: 'videoinput', label: 'New camera' });
  assert.equal(media.needsAcquire, false);
  const result = await media.switchDevice('videoinput', 'cam-new');
  assert.equal(result.outcome, 'later');
  assert.equal(media.needsAcquire, true, 'room.js calls acquire() again before joining');
  assert.equal(readChoices(storage).videoinput, 'cam-new');
  const next = await media.acquire();
  assert.equal(next.stream, first.stream);
  assert.equal(next.video, true);
  assert.equal(next.problem, null);
  assert.equal(media.deviceId('videoinput'), 'cam-new');
});

test('a choice made with nothing started is used by the next acquire', async () => {
  const { devices, media } = setup();
  assert.equal((await media.switchDevice('videoinput', 'cam-usb')).outcome, 'later');
  await media.acquire();
  assert.equal(media.deviceId('videoinput'), 'cam-usb');
  assert.deepEqual(devices.calls[0].video.deviceId, { exact: 'cam-usb' });
});

test('an unplugged device: "ended" is told; a stop during a switch leaves nothing running', async () => {
  const { devices, media, events } = setup();
  await media.acquire();
  const track = media.videoTrack;
  devices.unplug('cam-front');
  assert.deepEqual(events.at(-1), { type: 'ended', kind: 'videoinput', track });
  await media.switchDevice('videoinput', 'cam-usb'); // the recovery
  const switching = media.switchDevice('audioinput', 'mic-headset');
  media.stop();
  const result = await switching;
  assert.equal(result.track, null);
  assert.equal(devices.live('audio').length + devices.live('video').length, 0);
});

test('readChoices survives whatever storage holds', () => {
  const hostile = fakeStorage({}, { hostile: true });
  assert.deepEqual(readChoices(/** @type {any} */ (hostile)), { videoinput: null, audioinput: null, audiooutput: null });
  rememberChoice(/** @type {any} */ (hostile), 'videoinput', 'x'); // throws inside: ignored
  for (const junk of ['{', '[1,2]', '"cam"', 'null', '42', JSON.stringify({ videoinput: 5, audioinput: 'x'.repeat(1000), audiooutput: 'a\u0000b' })]) {
    assert.deepEqual(readChoices(/** @type {any} */ (fakeStorage({ [DEVICES_KEY]: junk }))), { videoinput: null, audioinput: null, audiooutput: null }, junk);
  }
  const proto = fakeStorage({ [DEVICES_KEY]: '{"__proto__": {"videoinput": "evil"}, "audiooutput": "spk-headset"}' });
  assert.deepEqual(readChoices(/** @type {any} */ (proto)), { videoinput: null, audioinput: null, audiooutput: 'spk-headset' });
  const storage = fakeStorage();
  rememberChoice(/** @type {any} */ (storage), 'audiooutput', 'spk-headset');
  rememberChoice(/** @type {any} */ (storage), 'videoinput', 'cam-usb');
  assert.deepEqual(JSON.parse(/** @type {string} */ (storage.data.get(DEVICES_KEY))), { videoinput: 'cam-usb', audioinput: null, audiooutput: 'spk-headset' });
});

test('hostile storage does not stop the camera from starting', async () => {
  const { media } = setup({ storage: /** @type {any} */ (fakeStorage({}, { hostile: true })) });
  const result = await media.acquire();
  assert.equal(result.video && result.audio, true);
  assert.equal((await media.switchDevice('videoinput', 'cam-usb')).outcome, 'switched');
});
