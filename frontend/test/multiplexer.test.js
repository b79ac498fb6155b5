import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Multiplexer } from '../src/mux/multiplexer.js';

/** A multiplexer whose sinks, handlers and error reports all write to one journal. */
function recording() {
  /** @type {unknown[][]} */
  const journal = [];
  const mux = new Multiplexer({
    html: (html) => journal.push(['html', html]),
    remove: (selector) => journal.push(['remove', selector]),
    onError: (what, error) => journal.push(['error', what, error instanceof Error ? error.message : error]),
  });
  return { mux, journal };
}

test('keys are handled in the order they appear in the message', () => {
  const { mux, journal } = recording();
  mux.add('rtc', 'disconnected', (m) => journal.push(['rtc', m.type, m.id]));
  mux.add('chat', 'said', (m) => journal.push(['chat', m.text]));

  mux.dispatch(JSON.parse('{"remove": "#tile-B", "rtc": {"type": "disconnected", "id": "B"}, "html": "<p>x</p>", "chat": {"type": "said", "text": "hi"}}'));

  assert.deepEqual(journal, [
    ['remove', '#tile-B'],
    ['rtc', 'disconnected', 'B'],
    ['html', '<p>x</p>'],
    ['chat', 'hi'],
  ]);
});

test('html goes to the html sink and remove to the remover, not to app handlers', () => {
  const { mux, journal } = recording();
  mux.add('html', 'undefined', () => journal.push(['wrong']));
  mux.dispatch({ html: '<div id="tiles" hx-swap-oob="beforeend"></div>' });
  mux.dispatch({ remove: '#tile-A' });
  assert.deepEqual(journal, [
    ['html', '<div id="tiles" hx-swap-oob="beforeend"></div>'],
    ['remove', '#tile-A'],
  ]);
});

test('every handler of an event gets the message; other events and unknown apps are ignored', () => {
  const { mux, journal } = recording();
  mux.add('rtc', 'other', (m) => journal.push(['first', m.id]));
  mux.add('rtc', 'other', (m) => journal.push(['second', m.id]));
  mux.add('rtc', 'signal', () => journal.push(['signal']));

  mux.dispatch({ rtc: { type: 'other', id: 'C', name: 'carol' } });
  mux.dispatch({ whiteboard: { type: 'other', id: 'X' } });
  mux.dispatch({ rtc: { type: 'unheard-of' } });
  mux.dispatch({ rtc: 'not an object' });
  mux.dispatch({ rtc: { id: 'no type' } });

  assert.deepEqual(journal, [
    ['first', 'C'],
    ['second', 'C'],
  ]);
});

test('a throwing handler is reported and does not stop the other handlers or keys', () => {
  const { mux, journal } = recording();
  mux.add('rtc', 'disconnected', () => {
    throw new Error('boom');
  });
  mux.add('rtc', 'disconnected', (m) => journal.push(['still called', m.id]));
  mux.add('chat', 'said', (m) => journal.push(['chat', m.text]));

  assert.doesNotThrow(() => mux.dispatch({ rtc: { type: 'disconnected', id: 'B' }, chat: { type: 'said', text: 'bye' } }));

  assert.deepEqual(journal, [
    ['error', 'rtc.disconnected handler', 'boom'],
    ['still called', 'B'],
    ['chat', 'bye'],
  ]);
});

test('a throwing sink is reported and the rest of the message is still handled', () => {
  const journal = [];
  const mux = new Multiplexer({
    html: () => {
      throw new Error('bad html');
    },
    remove: (selector) => journal.push(['remove', selector]),
    onError: (what, error) => journal.push(['error', what, /** @type {Error} */ (error).message]),
  });
  mux.dispatch({ html: '<p>', remove: '#x' });
  assert.deepEqual(journal, [
    ['error', 'html sink', 'bad html'],
    ['remove', '#x'],
  ]);
});

test('an async handler that rejects is reported', async () => {
  const { mux, journal } = recording();
  mux.add('rtc', 'signal', async () => {
    throw new Error('later');
  });
  mux.dispatch({ rtc: { type: 'signal' } });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(journal, [['error', 'rtc.signal handler', 'later']]);
});

test('remove() and the function add() returns unregister a handler', () => {
  const { mux, journal } = recording();
  const a = (/** @type {any} */ m) => journal.push(['a', m.id]);
  const b = (/** @type {any} */ m) => journal.push(['b', m.id]);
  mux.add('rtc', 'other', a);
  const unregisterB = mux.add('rtc', 'other', b);

  mux.remove('rtc', 'other', a);
  mux.dispatch({ rtc: { type: 'other', id: '1' } });
  unregisterB();
  mux.dispatch({ rtc: { type: 'other', id: '2' } });

  assert.deepEqual(journal, [['b', '1']]);
});

test('a handler may unregister itself while the event is being dispatched', () => {
  const { mux, journal } = recording();
  const once = mux.add('rtc', 'connect', () => {
    journal.push(['once']);
    once();
  });
  mux.add('rtc', 'connect', () => journal.push(['always']));
  mux.dispatch({ rtc: { type: 'connect', id: 'A' } });
  mux.dispatch({ rtc: { type: 'connect', id: 'A' } });
  assert.deepEqual(journal, [['once'], ['always'], ['always']]);
});

test('a message that is not a JSON object is reported, not thrown', () => {
  const { mux, journal } = recording();
  for (const bad of [null, 'text', 42, ['html']]) mux.dispatch(bad);
  assert.equal(journal.length, 4);
  assert.ok(journal.every(([kind]) => kind === 'error'));
});
