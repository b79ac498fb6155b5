// The active speaker (call/active-speaker.js): follows energy, holds through pauses, does not
// flicker, never highlights a muted participant; and the whole call health on a fake mesh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ActiveSpeaker,
  HOLD_MS,
  SPEAKING_ENERGY,
  SpeakerDetector,
  speakerEnergies,
} from '../src/call/active-speaker.js';
import { POLL_INTERVAL_MS } from '../src/call/stats-poller.js';
import { installCallHealth } from '../src/call/call-health.js';
import { addTile, roomDocument } from '../test-support/room-dom.js';
import { fakeMesh } from '../test-support/fake-stats.js';

const LOUD = 3e-3; // speech, or Chromium's fake beep over a poll
const QUIET = 1e-6; // room noise

/** Feeds one poll per interval to a detector; each step is {tile: energy}. */
function run(/** @type {Record<string, number | null>[]} */ steps) {
  const detector = new SpeakerDetector();
  return steps.map((step, i) => detector.update(new Map(Object.entries(step)), i * POLL_INTERVAL_MS));
}

test('the loud tile is the speaker at once; it keeps it through a one-poll pause, then loses it', () => {
  assert.ok(LOUD > SPEAKING_ENERGY && QUIET < SPEAKING_ENERGY);
  assert.ok(HOLD_MS >= POLL_INTERVAL_MS && HOLD_MS < 2 * POLL_INTERVAL_MS, 'about one quiet poll');
  assert.deepEqual(
    run([
      { 'tile-a': QUIET, 'tile-b': QUIET },
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': QUIET, 'tile-b': QUIET }, // a breath
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': QUIET, 'tile-b': QUIET },
      { 'tile-a': QUIET, 'tile-b': QUIET },
    ]),
    [null, 'tile-a', 'tile-a', 'tile-a', 'tile-a', null],
  );
});

test('a beep in every poll (Chromium\'s fake microphone) keeps the highlight steady', () => {
  const steps = Array.from({ length: 8 }, () => ({ 'tile-a': LOUD, 'tile-self': 0 }));
  assert.deepEqual(run(steps), Array(8).fill('tile-a'));
});

test('no flicker: a one-poll interjection does not take over; someone talking on does', () => {
  assert.deepEqual(
    run([
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': LOUD, 'tile-b': LOUD * 3 }, // b coughs, loudly
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': LOUD, 'tile-b': LOUD }, // both talk, b not clearly louder
      { 'tile-a': LOUD, 'tile-b': LOUD },
      { 'tile-a': QUIET, 'tile-b': LOUD }, // a pauses while b talks on: b
    ]),
    ['tile-a', 'tile-a', 'tile-a', 'tile-a', 'tile-a', 'tile-b'],
  );
  assert.deepEqual(
    run([
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': QUIET, 'tile-b': LOUD }, // a pauses, b starts: a is held
      { 'tile-a': QUIET, 'tile-b': LOUD }, // b talks on
    ]),
    ['tile-a', 'tile-a', 'tile-b'],
  );
  assert.deepEqual(
    run([
      { 'tile-a': LOUD, 'tile-b': QUIET },
      { 'tile-a': LOUD, 'tile-b': LOUD * 4 },
      { 'tile-a': LOUD, 'tile-b': LOUD * 4 }, // b talks over a, much louder, for two polls
    ]),
    ['tile-a', 'tile-a', 'tile-b'],
  );
});

test('a tile left out (microphone off, or gone) is never the speaker and loses the highlight at once', () => {
  assert.deepEqual(
    run([
      { 'tile-a': LOUD },
      { 'tile-b': LOUD }, // a muted: left out
      { 'tile-b': QUIET },
    ]),
    ['tile-a', 'tile-b', 'tile-b'],
  );
  assert.deepEqual(run([{ 'tile-a': null }, { 'tile-a': LOUD }, {}]), [null, 'tile-a', null]);
});

test('speakerEnergies gates our microphone by localAudioEnabled and theirs by their features', () => {
  const poll = {
    selfEnergy: LOUD,
    links: new Map([
      ['bob', { audioEnergy: LOUD }],
      ['carol', { audioEnergy: LOUD }],
    ]),
  };
  const open = speakerEnergies(poll, { localAudioEnabled: () => true });
  assert.deepEqual([...open.keys()], ['tile-self', 'tile-bob', 'tile-carol']);
  const gated = speakerEnergies(poll, { localAudioEnabled: () => false, micOn: (id) => id !== 'carol' });
  assert.deepEqual([...gated.keys()], ['tile-bob']);
  const broken = speakerEnergies(poll, { localAudioEnabled: () => { throw new Error('no media'); } });
  assert.ok(!broken.has('tile-self'), 'a gate that fails is closed');
});

test('the page: data-speaking on the speaking tile only, onSpeaker on each change, re-marked after a swap', () => {
  const doc = roomDocument();
  addTile(doc, 'bob', 'bob');
  addTile(doc, 'carol', 'carol');
  /** @type {(string | null)[]} */
  const changes = [];
  const speaker = new ActiveSpeaker({ doc: /** @type {any} */ (doc), onSpeaker: (tile) => changes.push(tile) });
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  speaker.update(new Map([['tile-self', LOUD], ['tile-bob', QUIET]]), 0);
  assert.equal(byId('tile-self').dataset.speaking, 'true');
  assert.equal(byId('tile-bob').dataset.speaking, undefined);
  speaker.update(new Map([['tile-self', LOUD]]), POLL_INTERVAL_MS);
  assert.deepEqual(changes, ['tile-self'], 'reported once');
  speaker.update(new Map([['tile-bob', LOUD]]), 2000); // we muted
  assert.equal(byId('tile-self').dataset.speaking, undefined);
  assert.equal(byId('tile-bob').dataset.speaking, 'true');
  assert.equal(speaker.current, 'tile-bob');

  byId('tile-bob').remove();
  const again = addTile(doc, 'bob', 'bob'); // htmx swapped the tile
  speaker.update(new Map([['tile-bob', LOUD]]), 3000);
  assert.equal(/** @type {any} */ (again).dataset.speaking, 'true');
  assert.equal(doc.querySelectorAll('[data-speaking]').length, 1);

  speaker.clear();
  assert.equal(doc.querySelectorAll('[data-speaking]').length, 0);
  assert.deepEqual(changes, ['tile-self', 'tile-bob', null]);
});

test('installCallHealth: the speaker follows the one who makes sound; a muted beeper never shows', async () => {
  const doc = roomDocument();
  addTile(doc, 'bob', 'bob');
  addTile(doc, 'carol', 'carol');
  const mesh = fakeMesh();
  const bob = mesh.add('bob', { mic: true });
  // carol's features say mic off; her figures (a stale second) still say loud
  const carol = mesh.add('carol', { mic: false });
  let micOn = false;
  let clock = 5_000_000;
  /** @type {(string | null)[]} */
  const speakers = [];
  const health = installCallHealth({
    doc: /** @type {any} */ (doc),
    mesh,
    localAudioEnabled: () => micOn,
    onSpeaker: (tile) => speakers.push(tile),
    now: () => clock,
  });
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const second = async (/** @type {{bob: number, carol: number, self: number}} */ e) => {
    bob.tick({ energy: e.bob, selfEnergy: e.self });
    carol.tick({ energy: e.carol, selfEnergy: e.self });
    clock += POLL_INTERVAL_MS;
    await health.poller.poll();
  };
  await second({ bob: 0, carol: LOUD, self: LOUD });
  for (let i = 0; i < 3; i++) await second({ bob: LOUD, carol: LOUD, self: LOUD });
  assert.equal(health.speaker.current, 'tile-bob');
  assert.equal(byId('tile-bob').dataset.speaking, 'true');
  assert.equal(byId('tile-carol').dataset.speaking, undefined, 'carol never: her microphone is off');
  assert.equal(byId('tile-self').dataset.speaking, undefined, 'we never: our microphone is off');

  for (let i = 0; i < 3; i++) await second({ bob: 0, carol: 0, self: 0 });
  micOn = true;
  for (let i = 0; i < 2; i++) await second({ bob: 0, carol: 0, self: LOUD });
  assert.equal(health.speaker.current, 'tile-self');
  assert.deepEqual(speakers, ['tile-bob', null, 'tile-self']);
  health.stop();
  assert.equal(doc.querySelectorAll('[data-speaking]').length, 0);
  assert.equal(speakers.at(-1), null);
});
