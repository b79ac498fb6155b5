// The mesh's upload budget: the plan (call/bandwidth-budget.js) and how call/budget.js applies it
// to senders with getParameters / setParameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIO_BPS,
  AUDIO_FLOOR_BPS,
  SCREEN_SHARE,
  UPLOAD_BUDGET_BPS,
  VIDEO_MAX_BPS,
  VIDEO_MIN_BPS,
  describeBudget,
  perPeerShare,
  planBudget,
  planPeer,
} from '../src/call/bandwidth-budget.js';
import { BandwidthBudget, RETRY_REFUSED_MS, isScreenTrack } from '../src/call/budget.js';
import { FakeStatsPc, fakeMesh } from '../test-support/fake-stats.js';

/** @param {number} peers @returns {string[]} */
const ids = (peers) => Array.from({ length: peers }, (_, i) => `p${i + 1}`);

/** Lets setParameters promises settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('N = 2..8: 2.5 Mbit/s split over N−1 peers, audio 64 kbit/s first, video the rest, clamped and scaled', () => {
  assert.equal(UPLOAD_BUDGET_BPS, 2_500_000);
  /** @type {Record<number, [number, number]>} N → [camera bit/s, scaleResolutionDownBy] */
  const expected = {
    2: [1_500_000, 1],
    3: [1_186_000, 1],
    4: [769_333, 1],
    5: [561_000, 2],
    6: [436_000, 2],
    7: [352_666, 2],
    8: [293_142, 4],
  };
  for (let n = 2; n <= 8; n++) {
    const plan = planBudget({ peers: ids(n - 1) });
    assert.equal(plan.size, n - 1);
    for (const peer of plan.values()) {
      assert.deepEqual(peer, { audio: AUDIO_BPS, video: expected[n][0], scale: expected[n][1], screen: null }, `N=${n}`);
      assert.ok(peer.audio + peer.video <= perPeerShare(n - 1) + 1, `N=${n}: within the share`);
    }
    const total = [...plan.values()].reduce((sum, p) => sum + p.audio + p.video, 0);
    assert.ok(total <= UPLOAD_BUDGET_BPS, `N=${n}: ${total} within the upload budget`);
  }
});

test('audio stays first in a tiny share: 64 kbit/s until video would go under its floor, never under 32 kbit/s', () => {
  assert.deepEqual(planPeer({ share: 214_000 }), { audio: 64_000, video: VIDEO_MIN_BPS, scale: 4, screen: null });
  assert.equal(planPeer({ share: 190_000 }).audio, 40_000);
  assert.equal(planPeer({ share: 100_000 }).audio, AUDIO_FLOOR_BPS);
  assert.equal(planPeer({ share: 100_000 }).video, VIDEO_MIN_BPS, 'the smallest video that is still video');
  assert.equal(planPeer({ share: 9_000_000 }).video, VIDEO_MAX_BPS);
});

test('a poor link halves only that peer\'s video; audio is untouched', () => {
  const levels = { p1: 'good', p2: 'poor', p3: 'fair' };
  const plan = planBudget({ peers: ids(3), levelOf: (id) => /** @type {any} */ (levels)[id] });
  const normal = planBudget({ peers: ids(3) }).get('p1');
  assert.deepEqual(plan.get('p1'), normal);
  assert.deepEqual(plan.get('p3'), normal, 'fair is not lowered');
  const poor = plan.get('p2');
  assert.equal(poor?.audio, AUDIO_BPS);
  assert.equal(poor?.video, Math.floor((perPeerShare(3) - AUDIO_BPS) / 2));
  assert.equal(poor?.scale, 2, 'and its resolution follows its budget');
});

test('sharing a screen: the screen gets 70 % of the video budget, the camera the rest', () => {
  const [plan] = planBudget({ peers: ids(2), sharingScreen: true }).values();
  const video = perPeerShare(2) - AUDIO_BPS;
  assert.equal(SCREEN_SHARE, 0.7);
  assert.equal(plan.screen, Math.floor(video * 0.7));
  assert.equal(plan.video, Math.floor(video * 0.3));
  assert.ok(plan.screen !== null && plan.screen > plan.video);
  assert.equal(plan.audio, AUDIO_BPS);
  const [crowded] = planBudget({ peers: ids(7), sharingScreen: true }).values();
  assert.equal(crowded.video, VIDEO_MIN_BPS, 'the camera keeps its floor');
  assert.equal(crowded.scale, 4);
});

test('the budget in words', () => {
  assert.match(describeBudget(new Map()), /up to 2\.5 Mbit\/s; it is split once someone else is connected/);
  const levelOf = (/** @type {string} */ id) => (id === 'p2' ? 'poor' : 'good');
  const text = describeBudget(planBudget({ peers: ids(2), levelOf }), { levelOf, nameOf: (id) => (id === 'p2' ? 'bob' : 'carol') });
  assert.equal(
    text,
    'Upload 2.5 Mbit/s, split over 2 connections, 1.3 Mbit/s each: audio 64 kbit/s, camera up to 1.2 Mbit/s at full resolution.' +
      ' Lowered for bob (poor connection): audio 64 kbit/s, camera up to 593 kbit/s at half resolution.',
  );
  assert.match(describeBudget(planBudget({ peers: ids(1), sharingScreen: true })), /all for 1 connection: audio 64 kbit\/s, screen up to 1\.7 Mbit\/s, camera up to 731 kbit\/s/);
});

/** A mesh of n−1 peers, each with a microphone and a camera sender. */
function meshOf(/** @type {number} */ peers) {
  const mesh = fakeMesh();
  for (const id of ids(peers)) {
    const pc = mesh.add(id, { pc: new FakeStatsPc() });
    pc.addSender('audio');
    pc.addSender('video');
  }
  return mesh;
}

/** @param {ReturnType<typeof meshOf>} mesh @param {string} id */
const sendersOf = (mesh, id) => {
  const [audio, video, ...rest] = /** @type {any} */ (mesh.peers.get(id)).pc.senders;
  return { audio, video, rest };
};

test('applied: maxBitrate on audio, maxBitrate and scaleResolutionDownBy on the camera; a 4th participant lowers it', async () => {
  const mesh = meshOf(2);
  const budget = new BandwidthBudget({ mesh });
  const plan = budget.update();
  await settle();
  assert.deepEqual(Object.keys(plan), ['p1', 'p2']);
  assert.deepEqual(budget.plan().p1, { audio: 64_000, video: 1_186_000, scale: 1, screen: null });
  for (const id of ['p1', 'p2']) {
    const { audio, video } = sendersOf(mesh, id);
    assert.equal(audio.encoding.maxBitrate, 64_000);
    assert.equal(audio.encoding.scaleResolutionDownBy, undefined, 'audio has no resolution');
    assert.equal(video.encoding.maxBitrate, 1_186_000);
    assert.equal(video.encoding.scaleResolutionDownBy, 1);
    assert.equal(video.encoding.active, true, 'what the browser had stays');
  }

  budget.update();
  await settle();
  assert.equal(sendersOf(mesh, 'p1').video.calls.length, 1, 'unchanged: no second setParameters');

  const pc = mesh.add('p3', { pc: new FakeStatsPc() });
  pc.addSender('audio');
  pc.addSender('video');
  budget.update();
  await settle();
  for (const id of ['p1', 'p2', 'p3']) {
    assert.equal(sendersOf(mesh, id).video.encoding.maxBitrate, 769_333, `${id}: the 4th participant's share`);
    assert.equal(sendersOf(mesh, id).audio.encoding.maxBitrate, 64_000);
  }
  assert.equal(sendersOf(mesh, 'p1').audio.calls.length, 1, 'audio did not change, so it was not set again');
  assert.equal(budget.plan().p3.video, 769_333);

  mesh.remove('p3');
  budget.update();
  await settle();
  assert.equal(sendersOf(mesh, 'p1').video.encoding.maxBitrate, 1_186_000, 'back when someone leaves');
  assert.deepEqual(Object.keys(budget.plan()), ['p1', 'p2']);
});

test('applied: a poor link lowers only that peer, and recovers', async () => {
  const mesh = meshOf(3);
  const budget = new BandwidthBudget({ mesh });
  budget.update((id) => (id === 'p2' ? 'poor' : 'good'));
  await settle();
  assert.equal(sendersOf(mesh, 'p1').video.encoding.maxBitrate, 769_333);
  assert.equal(sendersOf(mesh, 'p3').video.encoding.maxBitrate, 769_333);
  assert.equal(sendersOf(mesh, 'p2').video.encoding.maxBitrate, 384_666);
  assert.equal(sendersOf(mesh, 'p2').video.encoding.scaleResolutionDownBy, 2);
  assert.equal(sendersOf(mesh, 'p2').audio.encoding.maxBitrate, 64_000);
  assert.match(budget.describe(), /Lowered for p2 \(poor connection\)/);
  budget.update(() => 'good');
  await settle();
  assert.equal(sendersOf(mesh, 'p2').video.encoding.maxBitrate, 769_333);
  assert.equal(sendersOf(mesh, 'p1').video.calls.length, 1);
});

test('applied: a screen sender (contentHint detail or text) gets the screen share, the camera the rest', async () => {
  assert.equal(isScreenTrack({ contentHint: 'detail' }), true);
  assert.equal(isScreenTrack({ contentHint: 'text' }), true);
  assert.equal(isScreenTrack({ contentHint: 'motion' }), false);
  const mesh = meshOf(2);
  const budget = new BandwidthBudget({ mesh });
  budget.update();
  await settle();
  const screens = ids(2).map((id) => /** @type {any} */ (mesh.peers.get(id)).pc.addSender('video', 'detail'));
  budget.update();
  await settle();
  const video = perPeerShare(2) - AUDIO_BPS;
  for (const [i, id] of ids(2).entries()) {
    assert.equal(screens[i].encoding.maxBitrate, Math.floor(video * 0.7));
    assert.equal(screens[i].encoding.scaleResolutionDownBy, 1, 'a screen stays sharp');
    assert.equal(sendersOf(mesh, id).video.encoding.maxBitrate, Math.floor(video * 0.3));
  }
  assert.equal(budget.plan().p1.screen, Math.floor(video * 0.7));
  assert.match(budget.describe(), /screen up to/);
});

test('applied: senders without a track or encodings wait, refusals are warned once, nothing throws', async (t) => {
  const warnings = t.mock.method(console, 'warn', () => {});
  const mesh = fakeMesh();
  const pc = mesh.add('p1', { pc: new FakeStatsPc() });
  const refusing = pc.addSender('video', '', { fail: true });
  const early = pc.addSender('audio', '', { encodings: [] });
  pc.senders.push(/** @type {any} */ ({ track: null, getParameters: () => ({ encodings: [{}] }), setParameters: async () => assert.fail('no track') }));
  pc.senders.push(/** @type {any} */ ({ track: { kind: 'video' }, getParameters: () => { throw new Error('closed'); }, setParameters: async () => {} }));
  let clock = 1_000_000;
  const budget = new BandwidthBudget({ mesh, now: () => clock });
  assert.doesNotThrow(() => budget.update());
  await settle();
  clock += 2000;
  budget.update();
  await settle();
  assert.equal(refusing.calls.length, 1, 'the same refused parameters are not tried at every poll');
  clock += RETRY_REFUSED_MS;
  budget.update();
  await settle();
  assert.equal(refusing.calls.length, 2, 'but again after a while: a refusal may have been passing');
  assert.equal(early.calls.length, 0, 'no encodings yet: nothing to set');
  early.encodings = [{ active: true }];
  budget.update();
  await settle();
  assert.equal(early.encoding.maxBitrate, AUDIO_BPS, 'set once the encodings are there');
  assert.ok(warnings.mock.calls.length >= 2, 'getParameters and setParameters failures are warned');
});

test('applied: a plan that changes while setParameters is in flight is applied after it', async () => {
  const mesh = meshOf(1);
  const budget = new BandwidthBudget({ mesh });
  budget.update(() => 'good');
  budget.update(() => 'poor'); // the first setParameters has not resolved yet
  const { video } = sendersOf(mesh, 'p1');
  assert.equal(video.calls.length, 1, 'never two at once');
  await settle();
  await settle();
  assert.equal(video.calls.length, 2);
  assert.equal(video.encoding.maxBitrate, Math.floor((UPLOAD_BUDGET_BPS - AUDIO_BPS) / 2));
});
