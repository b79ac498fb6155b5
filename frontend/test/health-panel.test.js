// Link health on the page (call/health-panel.js, through call/call-health.js): the indicator in
// each remote tile, the call health panel's rows, summary and budget, opening and closing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installCallHealth } from '../src/call/call-health.js';
import { HealthPanel, SUMMARY_REFRESH_MS } from '../src/call/health-panel.js';
import { FakeEvent } from '../test-support/fake-dom.js';
import { addTile, press, roomDocument } from '../test-support/room-dom.js';
import { FakeStatsPc, addHealthPanel, fakeMesh } from '../test-support/fake-stats.js';

/** A room page in a call with bob (direct) and carol (through TURN over TLS), both with senders. */
function callPage() {
  const doc = addHealthPanel(roomDocument());
  addTile(doc, 'bob', 'bob');
  addTile(doc, 'carol', 'carol');
  const mesh = fakeMesh();
  const bob = mesh.add('bob', { name: 'bob' });
  const carol = mesh.add('carol', { name: 'carol', pc: new FakeStatsPc({ local: 'relay', remote: 'srflx', relayProtocol: 'tls' }) });
  for (const pc of [bob, carol]) {
    pc.addSender('audio');
    pc.addSender('video');
  }
  let clock = 1_000_000;
  const health = installCallHealth({ doc: /** @type {any} */ (doc), mesh, localAudioEnabled: () => true, now: () => clock });
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  /** One second of traffic on both links, then a poll. */
  const second = async (/** @type {Partial<Record<'bob' | 'carol', object>>} */ links = {}) => {
    bob.tick({ inBps: 1_200_000, outBps: 1_100_000, rttMs: 40, ...links.bob });
    carol.tick({ inBps: 900_000, outBps: 1_000_000, rttMs: 80, ...links.carol });
    clock += 1000;
    await health.poller.poll();
  };
  return { doc, mesh, health, byId, second, bob, carol, tick: (/** @type {number} */ ms) => (clock += ms) };
}

test('each remote tile gets a .link-health indicator with its level in plain words', async () => {
  const { doc, byId, second } = callPage();
  await second();
  const dot = byId('tile-bob').querySelector('.link-health');
  assert.ok(dot, 'in the tile');
  assert.equal(dot.dataset.level, 'good', 'the round trip is known at once, loss from the second poll');
  await second();
  await second();
  assert.equal(dot.dataset.level, 'good');
  assert.equal(dot.getAttribute('title'), 'Good connection to bob: 40 ms round trip, no loss, 1.2 Mbit/s in');
  assert.equal(dot.getAttribute('aria-label'), dot.getAttribute('title'));
  assert.equal(dot.getAttribute('role'), 'img');
  assert.equal(byId('tile-self').querySelector('.link-health'), null, 'not on our own tile');

  await second({ carol: { packets: 100, lossPct: 30, rttMs: 80 } });
  const carolDot = byId('tile-carol').querySelector('.link-health');
  assert.equal(carolDot.dataset.level, 'poor');
  assert.match(carolDot.getAttribute('aria-label'), /^Poor connection to carol: 80 ms round trip, \d+ % of packets lost/);
  assert.equal(doc.querySelectorAll('.link-health').length, 2, 'one indicator per tile, however many polls');
});

test('the panel lists every link: name, path, round trip, loss, in and out, level', async () => {
  const { byId, second } = callPage();
  for (let i = 0; i < 3; i++) await second();
  const rows = byId('health-links').querySelectorAll('li.health-link');
  assert.deepEqual(rows.map((/** @type {any} */ row) => row.dataset.participant), ['bob', 'carol']);
  /** @param {any} row */
  const cells = (row) => row.querySelectorAll('dd').map((/** @type {any} */ dd) => dd.textContent);
  assert.equal(rows[0].querySelector('.name').textContent, 'bob');
  assert.equal(rows[0].querySelector('.health-level').textContent, 'Good');
  assert.deepEqual(rows[0].querySelectorAll('dt').map((/** @type {any} */ dt) => dt.textContent), ['Path', 'Round trip', 'Loss', 'Receiving', 'Sending']);
  assert.deepEqual(cells(rows[0]), ['direct', '40 ms', '0 %', '1.2 Mbit/s', '1.1 Mbit/s']);
  assert.deepEqual(cells(rows[1]), ['relayed through TURN over TLS', '80 ms', '0 %', '900 kbit/s', '1.0 Mbit/s']);
  assert.equal(rows[1].dataset.level, 'good');
});

test('rows are updated in place, and go with their peer; so do indicators', async () => {
  const { doc, mesh, byId, second } = callPage();
  await second();
  await second();
  const row = byId('health-links').querySelector('li.health-link');
  await second({ bob: { rttMs: 250 } });
  assert.equal(byId('health-links').querySelector('li.health-link'), row, 'the same element');
  assert.equal(row.dataset.level, 'fair');
  assert.equal(row.querySelector('.health-level').textContent, 'Fair');

  mesh.remove('carol');
  await second();
  assert.deepEqual(byId('health-links').querySelectorAll('li.health-link').map((/** @type {any} */ r) => r.dataset.participant), ['bob']);
  assert.equal(byId('tile-carol').querySelector('.link-health'), null, 'a tile without a link loses its indicator');
  assert.equal(doc.querySelectorAll('.link-health').length, 1);
});

test('the summary: one sentence, the poor link named with why; and the budget in words', async () => {
  const { byId, second, tick } = callPage();
  for (let i = 0; i < 3; i++) await second();
  assert.equal(byId('health-summary').textContent, 'All 2 connections are good.');
  assert.match(byId('budget-text').textContent, /^Upload 2\.5 Mbit\/s, split over 2 connections, 1\.3 Mbit\/s each: audio 64 kbit\/s, camera up to 1\.2 Mbit\/s/);

  tick(SUMMARY_REFRESH_MS); // a level change shows at once anyway; this only keeps the test clear of the refresh limit
  await second({ bob: { packets: 100, lossPct: 27 } }); // 27 lost of 300 over the window: 9 %
  assert.equal(byId('health-summary').textContent, 'Your connection to bob is poor: 9 % of packets lost.');
  assert.match(byId('budget-text').textContent, /Lowered for bob \(poor connection\): audio 64 kbit\/s, camera up to 593 kbit\/s at half resolution\./);
});

test('the live summary is not rewritten every second while only the figures move', async () => {
  const { byId, second, tick } = callPage();
  for (let i = 0; i < 5; i++) await second({ bob: { rttMs: 250 } });
  const first = byId('health-summary').textContent;
  assert.equal(first, 'Your connection to bob is fair: 250 ms round trip.');
  await second({ bob: { rttMs: 260 } });
  assert.equal(byId('health-summary').textContent, first, 'same levels: kept for now');
  tick(SUMMARY_REFRESH_MS);
  await second({ bob: { rttMs: 260 } });
  assert.equal(byId('health-summary').textContent, 'Your connection to bob is fair: 260 ms round trip.');
});

test('names go in as text, never as markup', async () => {
  const { mesh, byId, second } = callPage();
  mesh.add('mallory', { name: '<img src=x onerror=alert(1)>' });
  addTile(/** @type {any} */ (byId('tiles').ownerDocument), 'mallory', 'x');
  await second();
  const row = byId('health-links').querySelectorAll('li.health-link').at(-1);
  assert.equal(row.querySelector('.name').textContent, '<img src=x onerror=alert(1)>');
  assert.equal(row.querySelector('.name').children.length, 0);
  const dot = byId('tile-mallory').querySelector('.link-health');
  assert.equal(dot.dataset.level, 'unknown', 'no figures yet');
  assert.equal(dot.getAttribute('aria-label'), 'Connection to <img src=x onerror=alert(1)>: measuring…');
  assert.equal(row.querySelector('.health-level').textContent, 'Measuring');
});

test('#toggle-health opens the panel (aria-expanded), #close-health and Escape close it, the focus goes back', () => {
  const doc = addHealthPanel(roomDocument());
  const panelView = new HealthPanel({ doc: /** @type {any} */ (doc) });
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const toggle = byId('toggle-health');
  const panel = byId('health-panel');
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  toggle.click();
  assert.equal(panel.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(panelView.open, true);
  assert.equal(doc.body.dataset.health, 'open');
  assert.equal(doc.activeElement, byId('close-health'), 'the focus goes into the panel');

  byId('close-health').click();
  assert.equal(panel.hidden, true);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(doc.activeElement, toggle);

  toggle.click();
  press(byId('close-health'), 'Escape');
  assert.equal(panel.hidden, true, 'Escape closes');
  assert.equal(doc.activeElement, toggle);
  assert.equal(doc.body.dataset.health, 'closed');

  toggle.click();
  toggle.dispatchEvent(new FakeEvent('keydown', { key: 'Escape' }));
  assert.equal(panel.hidden, true, 'Escape on the button too');
});

test('start and stop: polls while in the call; stop takes the indicators, rows and highlight away', async () => {
  const { doc, health, byId, second } = callPage();
  await second();
  await second();
  assert.equal(doc.querySelectorAll('.link-health').length, 2);
  health.start();
  assert.equal(health.poller.running, true);
  health.stop();
  assert.equal(health.poller.running, false);
  assert.equal(doc.querySelectorAll('.link-health').length, 0);
  assert.equal(byId('health-links').querySelectorAll('li').length, 0);
  assert.equal(byId('health-summary').textContent, 'Join the call to see how each connection is doing.');
  assert.deepEqual(health.budget.plan(), {});
});
