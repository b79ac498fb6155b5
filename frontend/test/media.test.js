import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquireMedia, describeMediaError } from '../src/call/media.js';

/** @param {string} name */
const failure = (name) => Object.assign(new Error(name), { name });

/** A stream stub with the given kinds of tracks. */
const stream = (/** @type {string[]} */ kinds) => ({
  getAudioTracks: () => kinds.filter((k) => k === 'audio').map((kind) => ({ kind })),
  getVideoTracks: () => kinds.filter((k) => k === 'video').map((kind) => ({ kind })),
});

/**
 * mediaDevices whose getUserMedia answers from a list, one answer per call, and records the
 * constraints it was asked for.
 * @param {(object | Error)[]} answers
 */
function devices(answers) {
  /** @type {{audio: unknown, video: unknown}[]} */
  const asked = [];
  return {
    asked,
    getUserMedia: async (/** @type {any} */ constraints) => {
      asked.push(constraints);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

test('camera and microphone: the stream, no problem', async () => {
  const md = devices([stream(['audio', 'video'])]);
  const media = await acquireMedia(/** @type {any} */ (md));
  assert.equal(media.audio, true);
  assert.equal(media.video, true);
  assert.equal(media.problem, null);
  assert.equal(md.asked.length, 1);
  assert.ok(md.asked[0].audio && md.asked[0].video);
});

test('no camera: falls back to the microphone and says so', async () => {
  const md = devices([failure('NotFoundError'), stream(['audio'])]);
  const media = await acquireMedia(/** @type {any} */ (md));
  assert.equal(media.audio, true);
  assert.equal(media.video, false);
  assert.equal(media.problem, 'Joining with your microphone only: no camera was found.');
  assert.deepEqual(md.asked[1].video, false);
});

test('a busy microphone and no camera: the camera alone is tried last', async () => {
  const md = devices([failure('NotReadableError'), failure('NotReadableError'), stream(['video'])]);
  const media = await acquireMedia(/** @type {any} */ (md));
  assert.equal(media.video, true);
  assert.match(/** @type {string} */ (media.problem), /^Joining with your camera only: the microphone is busy/);
});

test('permission denied: no more prompts, a plain explanation, joining still possible', async () => {
  const md = devices([failure('NotAllowedError')]);
  const media = await acquireMedia(/** @type {any} */ (md));
  assert.equal(md.asked.length, 1, 'asking again would only prompt again');
  assert.equal(media.stream, null);
  assert.match(/** @type {string} */ (media.problem), /blocked for this site/);
  assert.match(/** @type {string} */ (media.problem), /still join/);
});

test('no mediaDevices (an insecure page): explains https', async () => {
  const media = await acquireMedia(undefined);
  assert.equal(media.stream, null);
  assert.match(/** @type {string} */ (media.problem), /https/);
});

test('describeMediaError names the devices it was about', () => {
  assert.equal(describeMediaError(failure('NotFoundError')), 'No camera or microphone was found.');
  assert.equal(describeMediaError(failure('NotAllowedError'), 'camera'), 'Camera is blocked for this site. Allow it in your browser (the icon next to the address) and reload the page.');
  assert.match(describeMediaError(new Error('x')), /could not be started \(Error\)/);
});
