// Reactions (call/reactions.js): the menu SENDs a key; the "reaction" event floats the mapped
// character over the sender's tile for a few seconds; unknown keys show nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REACTIONS_PER_TILE, REACTIONS, REACTION_DESTINATION, REACTION_SHOWN_MS, Reactions, reactionFor } from '../src/call/reactions.js';
import { Multiplexer } from '../src/mux/multiplexer.js';
import { addTile, recorder, roomDocument } from '../test-support/room-dom.js';

/** Timers the test runs by hand. */
function manualTimers() {
  /** @type {{fn: () => void, ms: number}[]} */
  const pending = [];
  return {
    pending,
    setTimeout: (/** @type {() => void} */ fn, /** @type {number} */ ms) => pending.push({ fn, ms }),
    clearTimeout: () => {},
    runAll: () => pending.splice(0).forEach(({ fn }) => fn()),
  };
}

function reactionsPage() {
  const doc = roomDocument();
  const wire = recorder();
  const timers = manualTimers();
  const mux = new Multiplexer({ onError: (what, error) => assert.fail(`${what}: ${error}`) });
  const reactions = new Reactions({ doc: /** @type {any} */ (doc), multiplexer: mux, send: wire.send, selfId: () => 'B', timers });
  reactions.setAvailable(true);
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  return { doc, wire, timers, mux, reactions, byId };
}

test('the six keys the server accepts map to their characters; anything else to nothing', () => {
  assert.deepEqual(
    Object.entries(REACTIONS).map(([key, { emoji }]) => [key, emoji]),
    [['thumbs-up', '👍'], ['heart', '❤️'], ['laugh', '😂'], ['tada', '🎉'], ['clap', '👏'], ['wow', '😮']],
  );
  assert.equal(reactionFor('heart')?.emoji, '❤️');
  for (const odd of ['toString', '__proto__', 'constructor', '<img src=x>', '', null, 42, undefined]) assert.equal(reactionFor(odd), null, String(odd));
});

test('the menu: opens, sends {emoji: key} for the one picked, closes and gives the focus back', () => {
  const { wire, byId } = reactionsPage();
  const toggle = byId('toggle-reactions');
  const menu = byId('reaction-menu');
  toggle.click();
  assert.equal(menu.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  menu.querySelector('[data-reaction="tada"]').click();
  assert.deepEqual(wire.sent, [{ destination: REACTION_DESTINATION, body: { emoji: 'tada' } }]);
  assert.equal(menu.hidden, true);
  assert.equal(toggle.ownerDocument.activeElement, toggle);
});

test('a reaction floats over the sender\'s tile (ours for our id) and goes after a few seconds', () => {
  const { doc, timers, mux } = reactionsPage();
  const alice = addTile(doc, 'A', 'ada');
  mux.dispatch({ rtc: { type: 'reaction', from: 'A', emoji: 'thumbs-up' } });
  const float = alice.querySelector('.reaction');
  assert.equal(float?.textContent, '👍');
  assert.equal(float?.dataset.reaction, 'thumbs-up');
  assert.equal(float?.getAttribute('aria-label'), 'Thumbs up');
  assert.equal(timers.pending[0].ms, REACTION_SHOWN_MS);

  mux.dispatch({ rtc: { type: 'reaction', from: 'B', emoji: 'clap' } });
  assert.equal(doc.getElementById('tile-self')?.querySelector('.reaction')?.textContent, '👏', 'our own, on our tile');

  timers.runAll();
  assert.equal(alice.querySelector('.reaction'), null);
  assert.equal(doc.getElementById('tile-self')?.querySelector('.reaction'), null);
});

test('unknown keys, unknown senders and a flood change nothing much', () => {
  const { doc, reactions, mux, wire } = reactionsPage();
  const alice = addTile(doc, 'A', 'ada');
  mux.dispatch({ rtc: { type: 'reaction', from: 'A', emoji: 'poop' } });
  mux.dispatch({ rtc: { type: 'reaction', from: 'A', emoji: '<b>x</b>' } });
  mux.dispatch({ rtc: { type: 'reaction', from: 'Z', emoji: 'heart' } });
  mux.dispatch({ rtc: { type: 'reaction', emoji: 'heart' } });
  assert.equal(alice.querySelectorAll('.reaction').length, 0);
  assert.equal(reactions.react('poop'), false, 'never sent either');
  assert.equal(wire.sent.length, 0);
  for (let i = 0; i < MAX_REACTIONS_PER_TILE + 3; i++) reactions.show('A', 'wow');
  assert.equal(alice.querySelectorAll('.reaction').length, MAX_REACTIONS_PER_TILE);
});

test('out of the call the menu is disabled and closed', () => {
  const { reactions, byId } = reactionsPage();
  byId('toggle-reactions').click();
  reactions.setAvailable(false);
  assert.equal(byId('toggle-reactions').disabled, true);
  assert.equal(byId('reaction-menu').hidden, true);
  reactions.dispose();
});
