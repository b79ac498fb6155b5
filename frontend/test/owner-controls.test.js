// Owner controls (call/owner-controls.js): shown only while our own roster entry is the owner's;
// every control SENDs the destination and body of the design (docs/protocol.md, issue 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MUTE_HINT, OWNER_DESTINATIONS, OwnerControls } from '../src/call/owner-controls.js';
import { markTiles } from '../src/call/hands.js';
import { readRoster } from '../src/call/roster.js';
import { addTile, el, recorder, roomDocument, submit, swapRoster } from '../test-support/room-dom.js';

/**
 * A room page in a call as "A" with bob ("B") on a tile; the roster says whether A owns the room.
 * @param {{owner?: boolean, hand?: number, locked?: boolean, waitingRoom?: boolean, capacity?: number}} [state]
 */
function ownerPage({ owner = true, hand, locked = false, waitingRoom = false, capacity = 8 } = {}) {
  const doc = roomDocument();
  const wire = recorder();
  const controls = new OwnerControls({ doc: /** @type {any} */ (doc), send: wire.send });
  const bob = addTile(doc, 'B', 'bob');
  const apply = (/** @type {any} */ room, /** @type {any[]} */ people, selfId = 'A') => {
    swapRoster(doc, room, people);
    const roster = readRoster(/** @type {any} */ (doc.getElementById('roster')));
    markTiles(/** @type {any} */ (doc), roster, selfId); // the page marks the tiles first
    controls.apply(roster, selfId);
  };
  apply({ locked, waitingRoom, capacity }, [{ id: 'A', name: 'ada', owner }, { id: 'B', name: 'bob', hand }]);
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const action = (/** @type {string} */ name) => bob.querySelector(`[data-tile-action="${name}"]`);
  return { doc, wire, controls, bob, apply, byId, action };
}

test('not the owner: no room menu, no tile actions, knock buttons do nothing', () => {
  const { doc, wire, controls, bob, byId } = ownerPage({ owner: false });
  assert.equal(controls.isOwner, false);
  assert.equal(byId('owner-controls').hidden, true);
  assert.equal(doc.body.dataset.owner, undefined);
  assert.equal(bob.querySelector('.tile-actions'), null);
  byId('knocks').append(el(doc, 'button', { 'data-admit': 'K1' }));
  byId('knocks').querySelector('[data-admit]').click();
  assert.equal(controls.setLocked(true), false);
  assert.deepEqual(wire.sent, []);
});

test('the owner: room menu with lock and waiting room showing the roster\'s state, sending the opposite', () => {
  const { doc, wire, controls, byId, apply } = ownerPage({ locked: true, waitingRoom: false, capacity: 5 });
  assert.equal(controls.isOwner, true);
  assert.equal(doc.body.dataset.owner, 'true');
  assert.equal(byId('owner-controls').hidden, false);
  byId('toggle-room-menu').click();
  assert.equal(byId('room-menu').hidden, false);
  assert.equal(byId('toggle-lock').getAttribute('aria-pressed'), 'true');
  assert.equal(byId('toggle-waiting-room').getAttribute('aria-pressed'), 'false');
  assert.equal(byId('room-capacity').value, '5');

  byId('toggle-lock').click();
  byId('toggle-waiting-room').click();
  assert.deepEqual(wire.sent, [
    { destination: OWNER_DESTINATIONS.lock, body: { locked: false } },
    { destination: OWNER_DESTINATIONS.waitingRoom, body: { on: true } },
  ]);
  assert.equal(byId('toggle-lock').getAttribute('aria-pressed'), 'true', 'the roster decides, not the click');
  assert.equal(byId('room-menu').hidden, false, 'clicks inside keep the menu open');

  apply({ version: 3, locked: false, waitingRoom: true, capacity: 5 }, [{ id: 'A', name: 'ada', owner: true }]);
  assert.equal(byId('toggle-lock').getAttribute('aria-pressed'), 'false');
  assert.equal(byId('toggle-waiting-room').getAttribute('aria-pressed'), 'true');

  apply({ version: 4 }, [{ id: 'A', name: 'ada' }, { id: 'B', name: 'bob', owner: true }]); // handed over
  assert.equal(byId('owner-controls').hidden, true);
  assert.equal(byId('room-menu').hidden, true, 'closed with it');
  assert.equal(doc.body.dataset.owner, undefined);
});

test('capacity: a number from 2 to 8 is sent, anything else is marked invalid', () => {
  const { wire, byId } = ownerPage();
  const input = byId('room-capacity');
  input.value = '4';
  assert.equal(submit(byId('capacity-form')).defaultPrevented, true);
  assert.deepEqual(wire.sent, [{ destination: OWNER_DESTINATIONS.capacity, body: { capacity: 4 } }]);
  for (const bad of ['1', '9', '2.5', '', 'x']) {
    input.value = bad;
    submit(byId('capacity-form'));
    assert.equal(input.getAttribute('aria-invalid'), 'true', bad);
  }
  assert.equal(wire.sent.length, 1);
  assert.match(byId('capacity-hint').textContent, /Between 2 and 8/);
  input.value = '8';
  submit(byId('capacity-form'));
  assert.equal(input.getAttribute('aria-invalid'), null);
  assert.deepEqual(wire.sent.at(-1)?.body, { capacity: 8 });
});

test('the capacity field is not overwritten while the owner types in it', () => {
  const { byId, apply } = ownerPage({ capacity: 8 });
  const input = byId('room-capacity');
  input.focus();
  input.value = '3';
  apply({ version: 5, capacity: 6 }, [{ id: 'A', name: 'ada', owner: true }]);
  assert.equal(input.value, '3');
  input.blur();
  apply({ version: 6, capacity: 6 }, [{ id: 'A', name: 'ada', owner: true }]);
  assert.equal(input.value, '6');
});

test('tile actions: ask to mute, make owner, each with {id}; the mute says what it really does', () => {
  const { wire, bob, action } = ownerPage();
  const toggle = bob.querySelector('.tile-actions-toggle');
  const menu = bob.querySelector('.tile-actions-menu');
  assert.equal(toggle.getAttribute('aria-label'), 'Owner actions for bob');
  assert.equal(menu.hidden, true);
  toggle.click();
  assert.equal(menu.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(action('mute').textContent, 'Ask to mute');
  assert.equal(action('mute').title, MUTE_HINT);
  assert.match(menu.textContent, /Asks their page to turn off its microphone/);
  assert.equal(action('lower-hand').hidden, true, 'no hand up');
  action('mute').click();
  assert.deepEqual(wire.sent, [{ destination: OWNER_DESTINATIONS.mute, body: { id: 'B' } }]);
  assert.equal(menu.hidden, true, 'done: closed');

  toggle.click();
  action('hand-over').click();
  assert.deepEqual(wire.sent.at(-1), { destination: OWNER_DESTINATIONS.handOver, body: { id: 'B' } });
});

test('"Lower hand" only while the hand is up; "Make owner" not for an owner', () => {
  const { wire, bob, action, apply } = ownerPage({ hand: 1 });
  assert.equal(action('lower-hand').hidden, false);
  bob.querySelector('.tile-actions-toggle').click();
  action('lower-hand').click();
  assert.deepEqual(wire.sent, [{ destination: OWNER_DESTINATIONS.lowerHand, body: { id: 'B' } }]);
  apply({ version: 7 }, [{ id: 'A', name: 'ada', owner: true }, { id: 'B', name: 'bob', owner: true }]);
  assert.equal(action('lower-hand').hidden, true);
  assert.equal(action('hand-over').hidden, true, 'another tab of the owner');
  assert.equal(bob.querySelectorAll('.tile-actions').length, 1, 'built once');
});

test('remove asks first: confirm sends {id}, cancel sends nothing', () => {
  const { wire, bob, action } = ownerPage();
  const menu = bob.querySelector('.tile-actions-menu');
  bob.querySelector('.tile-actions-toggle').click();
  action('remove').click();
  assert.deepEqual(wire.sent, [], 'not yet');
  assert.equal(menu.querySelector('.confirm').hidden, false);
  assert.equal(menu.querySelector('.choices').hidden, true);
  assert.match(menu.querySelector('.confirm').textContent, /Remove bob from the call\?/);
  assert.equal(bob.ownerDocument.activeElement, action('remove-confirmed'));
  action('cancel').click();
  assert.equal(menu.querySelector('.confirm').hidden, true);
  assert.deepEqual(wire.sent, []);

  action('remove').click();
  action('remove-confirmed').click();
  assert.deepEqual(wire.sent, [{ destination: OWNER_DESTINATIONS.remove, body: { id: 'B' } }]);
});

test('a click elsewhere or Escape closes a tile menu', () => {
  const { doc, bob } = ownerPage();
  const toggle = bob.querySelector('.tile-actions-toggle');
  const menu = bob.querySelector('.tile-actions-menu');
  toggle.click();
  doc.body.click();
  assert.equal(menu.hidden, true);
  toggle.click();
  menu.querySelector('.hint').click(); // its own text
  assert.equal(menu.hidden, false);
  const escape = /** @type {any} */ ({ type: 'keydown', key: 'Escape', target: null, preventDefault() {}, stopPropagation() {} });
  menu.querySelector('[data-tile-action="mute"]').dispatchEvent(escape);
  assert.equal(menu.hidden, true);
  assert.equal(doc.activeElement, toggle, 'focus back on the toggle');
});

test('knocks: "Let in" and "Refuse" send {knock} (delegated: the server re-renders the list)', () => {
  const { doc, wire, byId } = ownerPage();
  const knocks = byId('knocks');
  const item = (/** @type {string} */ id) =>
    el(doc, 'li', { 'data-knock': id }, el(doc, 'span', { class: 'name' }, 'eve'), el(doc, 'button', { 'data-admit': id }), el(doc, 'button', { 'data-refuse': id }));
  knocks.append(el(doc, 'ul', {}, item('K1'), item('K2')));
  knocks.querySelector('[data-admit="K1"]').click();
  knocks.querySelector('[data-refuse="K2"]').click();
  assert.deepEqual(wire.sent, [
    { destination: OWNER_DESTINATIONS.admit, body: { knock: 'K1' } },
    { destination: OWNER_DESTINATIONS.refuse, body: { knock: 'K2' } },
  ]);
  assert.equal(knocks.querySelector('[data-refuse="K1"]').disabled, true, 'one answer per knock');
  knocks.querySelector('[data-admit="K1"]').click();
  assert.equal(wire.sent.length, 2);
});

test('losing ownership takes the tile actions away; a new tile of an owner gets them', () => {
  const { doc, bob, apply } = ownerPage();
  assert.ok(bob.querySelector('.tile-actions'));
  apply({ version: 8 }, [{ id: 'A', name: 'ada' }, { id: 'B', name: 'bob' }]);
  assert.equal(bob.querySelector('.tile-actions'), null);
  const carol = addTile(doc, 'C', 'cy');
  apply({ version: 9 }, [{ id: 'A', name: 'ada', owner: true }, { id: 'B', name: 'bob' }, { id: 'C', name: 'cy' }]);
  assert.equal(carol.querySelector('.tile-actions-toggle')?.getAttribute('aria-label'), 'Owner actions for cy');
  assert.equal(doc.getElementById('tile-self')?.querySelector('.tile-actions'), null, 'never on our own tile');
  apply({ version: 10 }, [{ id: 'A', name: 'ada', owner: true }], null); // out of the call
  assert.equal(carol.querySelector('.tile-actions'), null);
});
