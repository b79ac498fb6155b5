// The stats poller (call/stats-poller.js): figures per link from getStats counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOSS_WINDOW, StatsPoller, energyBetween, readReport } from '../src/call/stats-poller.js';
import { FakeStatsPc, fakeMesh } from '../test-support/fake-stats.js';

/** @param {number} actual @param {number} expected @param {string} [message] */
const near = (actual, expected, message) => assert.ok(Math.abs(actual - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `${message ?? ''} ${actual} ≈ ${expected}`);

test('rtt, loss and bitrate in and out come from the differences between two polls', async () => {
  const mesh = fakeMesh();
  const pc = mesh.add('bob');
  const poller = new StatsPoller({ mesh });
  pc.tick({ inBps: 1_000_000, outBps: 500_000, rttMs: 40 });
  const first = (await poller.poll()).links.get('bob');
  assert.equal(first?.rttMs, 40, 'round trip is a current figure');
  assert.equal(first?.inBps, null, 'one poll: no rate yet');
  assert.equal(first?.lossPct, null);

  pc.tick({ inBps: 1_200_000, outBps: 600_000, rttMs: 55, packets: 200, lossPct: 3 });
  const second = (await poller.poll()).links.get('bob');
  near(/** @type {number} */ (second?.inBps), 1_200_000, 'in');
  near(/** @type {number} */ (second?.outBps), 600_000, 'out');
  assert.equal(second?.rttMs, 55);
  near(/** @type {number} */ (second?.lossInPct), 3, 'loss in');
  assert.equal(second?.lossOutPct, null, 'no RTCP report from them yet');
  near(/** @type {number} */ (second?.lossPct), 3);
  assert.equal(second?.path, 'direct');
  assert.equal(second?.localType, 'host');
});

test('loss is measured over the last LOSS_WINDOW polls; the other side\'s fractionLost counts too', async () => {
  const mesh = fakeMesh();
  const pc = mesh.add('bob');
  const poller = new StatsPoller({ mesh });
  pc.tick();
  await poller.poll();
  pc.tick({ packets: 100, lossPct: 20 });
  await poller.poll();
  for (let i = 0; i < LOSS_WINDOW - 1; i++) {
    pc.tick({ packets: 100, lossPct: 0 });
    await poller.poll();
  }
  near(/** @type {number} */ (poller.last?.links.get('bob')?.lossInPct), 20 / LOSS_WINDOW, 'one bad second among five');
  pc.tick({ packets: 100, lossPct: 0 });
  await poller.poll();
  near(/** @type {number} */ (poller.last?.links.get('bob')?.lossInPct), 0, 'out of the window');

  pc.tick({ remoteLossPct: 9, remoteRttMs: 120 });
  const link = (await poller.poll()).links.get('bob');
  near(/** @type {number} */ (link?.lossOutPct), 9);
  near(/** @type {number} */ (link?.lossPct), 9, 'the worse direction');
  near(/** @type {number} */ (link?.rttMs), 120, 'no pair rtt: remote-inbound-rtp roundTripTime');
});

test('the path of the selected pair: direct, or TURN over UDP, TCP or TLS; Firefox marks the pair selected', async () => {
  /** @type {[ConstructorParameters<typeof FakeStatsPc>[0], string][]} */
  const cases = [
    [{ local: 'host', remote: 'host' }, 'direct'],
    [{ local: 'srflx', remote: 'prflx' }, 'direct'],
    [{ local: 'prflx', remote: 'srflx', selected: 'flag' }, 'direct'],
    [{ local: 'relay', remote: 'srflx', relayProtocol: 'udp' }, 'relayed through TURN over UDP'],
    [{ local: 'relay', remote: 'host', relayProtocol: 'tcp' }, 'relayed through TURN over TCP'],
    [{ local: 'relay', remote: 'relay', relayProtocol: 'tls', selected: 'flag' }, 'relayed through TURN over TLS'],
    [{ local: 'relay', remote: 'host', relayProtocol: 'tls', selected: 'none' }, 'relayed through TURN over TLS'],
  ];
  for (const [path, expected] of cases) {
    const snapshot = readReport(await new FakeStatsPc(path).tick().getStats());
    assert.equal(snapshot.localType, path?.local);
    assert.equal(snapshot.remoteType, path?.remote);
    const mesh = fakeMesh();
    mesh.add('x', { pc: new FakeStatsPc(path) });
    const link = (await new StatsPoller({ mesh }).poll()).links.get('x');
    assert.equal(link?.path, expected, JSON.stringify(path));
  }
  assert.equal(readReport(new Map()).localType, null, 'no pair yet');
});

test('audio energy: Δ totalAudioEnergy / Δ totalSamplesDuration, theirs per link and our microphone', async () => {
  const mesh = fakeMesh();
  const bob = mesh.add('bob');
  const carol = mesh.add('carol');
  const poller = new StatsPoller({ mesh });
  bob.tick({ energy: 0.5, selfEnergy: 0.2 });
  carol.tick({ energy: 0.5, selfEnergy: 0.2 });
  const first = await poller.poll();
  assert.equal(first.links.get('bob')?.audioEnergy, null);
  assert.equal(first.selfEnergy, null);
  bob.tick({ energy: 0.003, selfEnergy: 0.01, ms: 2000 });
  carol.tick({ energy: 0, selfEnergy: 0.01, ms: 2000 });
  const second = await poller.poll();
  near(/** @type {number} */ (second.links.get('bob')?.audioEnergy), 0.003, 'the mean over the interval, not the total');
  assert.equal(second.links.get('carol')?.audioEnergy, 0);
  near(/** @type {number} */ (second.selfEnergy), 0.01);
});

test('ignored audio (a screen share\'s tab audio) makes no energy', () => {
  const before = new Map([['mic', { energy: 0, duration: 0 }], ['tab', { energy: 0, duration: 0 }]]);
  const after = new Map([['mic', { energy: 0.001, duration: 1 }], ['tab', { energy: 0.5, duration: 1 }]]);
  assert.equal(energyBetween(before, after), 0.5, 'the loudest');
  assert.equal(energyBetween(before, after, (track) => track === 'tab'), 0.001);
  assert.equal(energyBetween(before, new Map([['mic', { energy: 0, duration: 0 }]])), null, 'no samples: no figure');
});

test('peers come and go, a renewed peer starts afresh, a failing getStats is an empty link', async () => {
  const mesh = fakeMesh();
  const bob = mesh.add('bob');
  const poller = new StatsPoller({ mesh });
  bob.tick({ inBps: 800_000 });
  await poller.poll();
  bob.tick({ inBps: 800_000 });
  assert.ok(((await poller.poll()).links.get('bob')?.inBps ?? 0) > 0);

  const renewed = mesh.add('bob', { pc: new FakeStatsPc() }); // mesh renewPeer: same id, new pc
  renewed.tick({ inBps: 800_000 });
  assert.equal((await poller.poll()).links.get('bob')?.inBps, null, 'not a rate against the old pc');

  mesh.add('carol').failStats = true;
  const result = await poller.poll();
  assert.deepEqual([...result.links.keys()], ['bob', 'carol']);
  assert.equal(result.links.get('carol')?.rttMs, null);
  assert.equal(result.links.get('carol')?.path, null);

  mesh.remove('bob');
  assert.deepEqual([...(await poller.poll()).links.keys()], ['carol']);
});

test('start polls at once and every interval, never overlapping; stop ends it and forgets', async (t) => {
  const mesh = fakeMesh();
  let calls = 0;
  let inFlight = 0;
  let overlapped = false;
  const pc = mesh.add('bob');
  const getStats = pc.getStats.bind(pc);
  pc.getStats = async () => {
    calls++;
    overlapped ||= inFlight > 0;
    inFlight++;
    await new Promise((resolve) => setTimeout(resolve, 8)); // slower than the interval
    inFlight--;
    return getStats();
  };
  const poller = new StatsPoller({ mesh, intervalMs: 5 });
  t.after(() => poller.stop()); // a failed assertion must not leave it polling (the file would never end)
  /** @type {number[]} */
  const seen = [];
  const unsubscribe = poller.subscribe((result) => seen.push(result.links.size));
  poller.start();
  poller.start();
  const deadline = Date.now() + 5000;
  while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(poller.running);
  assert.ok(seen.length >= 3, `${seen.length} results within 5 s`);
  assert.equal(overlapped, false, 'one poll at a time, although each takes longer than the interval');
  poller.stop();
  const after = calls;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(calls, after, 'stopped');
  assert.ok(seen.length >= after - 1 && seen.length <= after, 'one result per poll (the last may have been voided by stop)');
  assert.equal(poller.last, null);
  unsubscribe();
});
