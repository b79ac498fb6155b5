// Raised hands and owner marks (call/hands.js): the roster's data-hand / data-owner copied onto
// the tiles with their badges, and the raise-hand toggle following the roster, not the click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HAND_DESTINATION, HandToggle, markTiles, ordinal, participantOf } from '../src/call/hands.js';
import { readRoster } from '../src/call/roster.js';
import { addTile, recorder, roomDocument, swapRoster } from '../test-support/room-dom.js';

test('readRoster reads hands, owners and the room state', () => {
  const doc = roomDocument();
  const section = swapRoster(doc, { version: 12, locked: true, waitingRoom: false, capacity: 5 }, [
    { id: 'A', name: 'ada', owner: true },
    { id: 'B', name: 'bob', hand: 1 },
    { id: 'C', name: 'cy', hand: 2, away: true },
  ]);
  const roster = readRoster(/** @type {any} */ (section));
  assert.deepEqual([...(roster?.hands ?? [])], [['B', 1], ['C', 2]]);
  assert.deepEqual([...(roster?.owners ?? [])], ['A']);
  assert.deepEqual(roster?.room, { locked: true, waitingRoom: false, capacity: 5 });
  assert.deepEqual([...(roster?.members ?? [])], [['A', false], ['B', false], ['C', true]], 'away as before');
  const bare = swapRoster(doc, {}, [{ id: 'A', name: 'ada' }]);
  bare.removeAttribute('data-capacity');
  bare.removeAttribute('data-locked');
  assert.deepEqual(readRoster(/** @type {any} */ (bare))?.room, { locked: false, waitingRoom: false, capacity: null }, 'an older server sends none');
});

test('hands and owner marks go onto the tiles, ours (#tile-self) too, and come off again', () => {
  const doc = roomDocument();
  const alice = addTile(doc, 'A', 'ada');
  const carol = addTile(doc, 'C', 'cy');
  const self = /** @type {any} */ (doc.getElementById('tile-self'));
  const roster = () => readRoster(/** @type {any} */ (doc.getElementById('roster')));

  swapRoster(doc, {}, [{ id: 'A', name: 'ada', owner: true }, { id: 'B', name: 'bob', hand: 1 }, { id: 'C', name: 'cy', hand: 2 }]);
  markTiles(/** @type {any} */ (doc), roster(), 'B');
  assert.equal(alice.dataset.owner, 'true');
  assert.equal(alice.dataset.hand, undefined);
  assert.equal(alice.querySelector('.owner-mark')?.textContent, 'Owner');
  assert.equal(self.dataset.hand, '1', 'our own hand, on our own tile');
  assert.equal(self.querySelector('.hand-mark')?.textContent, '✋ 1');
  assert.equal(self.querySelector('.hand-mark')?.title, 'Raised hand, 1st');
  assert.equal(carol.dataset.hand, '2');
  assert.equal(carol.querySelector('.hand-mark')?.title, 'Raised hand, 2nd');

  swapRoster(doc, { version: 3 }, [{ id: 'A', name: 'ada' }, { id: 'B', name: 'bob' }, { id: 'C', name: 'cy', hand: 1, owner: true }]);
  markTiles(/** @type {any} */ (doc), roster(), 'B');
  assert.equal(alice.dataset.owner, undefined, 'handed over');
  assert.equal(alice.querySelector('.owner-mark'), null);
  assert.equal(self.dataset.hand, undefined);
  assert.equal(self.querySelector('.hand-mark'), null);
  assert.equal(carol.dataset.hand, '1', 'moved up');
  assert.equal(carol.dataset.owner, 'true');
  assert.equal(carol.querySelectorAll('.tile-marks').length, 1, 'one badge box per tile');

  markTiles(/** @type {any} */ (doc), roster(), null); // out of the call: our tile is nobody's
  assert.equal(self.dataset.hand, undefined);
  markTiles(/** @type {any} */ (doc), null, null); // no roster: nothing marked
  assert.equal(carol.dataset.hand, undefined);
});

test('the toggle sends the opposite of what the roster says, and shows only what the roster says', () => {
  const doc = roomDocument();
  const wire = recorder();
  const hand = new HandToggle({ doc: /** @type {any} */ (doc), send: wire.send });
  const button = /** @type {any} */ (doc.getElementById('toggle-hand'));
  assert.equal(button.disabled, true, 'out of the call');
  hand.setAvailable(true);
  button.click();
  assert.deepEqual(wire.sent, [{ destination: HAND_DESTINATION, body: { raised: true } }]);
  assert.equal(button.getAttribute('aria-pressed'), 'false', 'not until the roster says so');

  swapRoster(doc, {}, [{ id: 'B', name: 'bob', hand: 3 }]);
  hand.apply(readRoster(/** @type {any} */ (doc.getElementById('roster'))), 'B');
  assert.equal(hand.raised, true);
  assert.equal(button.getAttribute('aria-pressed'), 'true');
  button.click();
  assert.deepEqual(wire.sent.at(-1)?.body, { raised: false });

  swapRoster(doc, { version: 3 }, [{ id: 'B', name: 'bob' }]);
  hand.apply(readRoster(/** @type {any} */ (doc.getElementById('roster'))), 'B');
  assert.equal(button.getAttribute('aria-pressed'), 'false');
  hand.setAvailable(false);
  assert.equal(button.disabled, true);
});

test('ordinals and which participant a tile shows', () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 103].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd']);
  const doc = roomDocument();
  assert.equal(participantOf(/** @type {any} */ (doc.getElementById('tile-self')), 'B'), 'B');
  assert.equal(participantOf(/** @type {any} */ (addTile(doc, 'A', 'ada')), 'B'), 'A');
});
