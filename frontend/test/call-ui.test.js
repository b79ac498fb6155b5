import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallUi, connectionLabel, connectionProblemText, mediaStateText } from '../src/call/call-ui.js';
import { documentWithTile } from '../test-support/fake-dom.js';

test('a tile says nothing when microphone and camera are on, and names what is off', () => {
  assert.equal(mediaStateText({ mic: true, cam: true }), '');
  assert.equal(mediaStateText({ mic: false, cam: true }), 'Muted');
  assert.equal(mediaStateText({ mic: true, cam: false }), 'Camera off');
  assert.equal(mediaStateText({ mic: false, cam: false }), 'Muted · Camera off');
});

test('the connection badge speaks only while connecting, reconnecting or failed', () => {
  assert.equal(connectionLabel('new'), 'Connecting…');
  assert.equal(connectionLabel('connecting'), 'Connecting…');
  assert.equal(connectionLabel('connected'), '');
  assert.equal(connectionLabel('disconnected'), 'Reconnecting…');
  assert.equal(connectionLabel('failed'), 'Connection failed');
  assert.equal(connectionLabel('closed'), '');
});

test('a tile that cannot connect names the participant and says what this side knows', () => {
  const base = { reason: /** @type {const} */ ('failed'), answered: true, turnConfigured: true, turnReachable: false, turnRefused: false, relayOnly: false };
  const say = (/** @type {object} */ change) => connectionProblemText('bob', { ...base, ...change });

  assert.equal(say({ turnConfigured: false }), "Can't connect to bob. No TURN relay is configured, and a direct connection failed.");
  assert.equal(
    say({ turnConfigured: false, relayOnly: true }),
    "Can't connect to bob. This room allows relayed connections only, but no TURN relay is configured.",
  );
  assert.equal(say({}), "Can't connect to bob. The TURN relay did not answer (or refused our credentials). A direct connection failed too.");
  assert.equal(
    say({ relayOnly: true }),
    "Can't connect to bob. The TURN relay did not answer (or refused our credentials). This room allows relayed connections only.",
  );
  assert.equal(say({ turnRefused: true, relayOnly: true }), "Can't connect to bob. The TURN relay refused our credentials. This room allows relayed connections only.");
  assert.equal(
    say({ turnReachable: true, relayOnly: true }),
    "Can't connect to bob through the TURN relay. We reached the relay, so the trouble may be on bob's side.",
  );
  assert.equal(
    say({ turnReachable: true }),
    "Can't connect to bob directly or through the TURN relay. We reached the relay, so the trouble may be on bob's side.",
  );
  assert.equal(say({ answered: false }), "Can't connect to bob. Their browser did not answer the call setup.");
  assert.match(connectionProblemText('', { ...base, turnConfigured: false }), /^Can't connect to this participant\./);
});

test('the problem note: a live region from the start, filled on a problem, emptied when the connection comes up', () => {
  const { doc, tile } = documentWithTile('B', 'bob');
  const ui = new CallUi(/** @type {any} */ (doc));
  ui.peerAdded('B');
  const note = tile.querySelector('.problem');
  assert.ok(note, 'the note exists before anything goes wrong');
  assert.equal(note.getAttribute('aria-live'), 'polite');
  assert.equal(note.getAttribute('role'), 'status');
  assert.equal(note.textContent, '');
  assert.equal(tile.children.indexOf(note), 1, 'right after the video, under the caption');
  assert.equal(tile.dataset.problem, undefined);

  const problem = { reason: /** @type {const} */ ('timeout'), answered: true, turnConfigured: true, turnReachable: false, turnRefused: false, relayOnly: true };
  ui.peerProblem('B', '', problem); // no name known: the tile's own
  assert.equal(tile.dataset.problem, 'turn-unreachable');
  assert.match(note.textContent, /^Can't connect to bob\. The TURN relay did not answer/);

  ui.peerProblem('B', 'bob', null);
  assert.equal(tile.dataset.problem, undefined);
  assert.equal(note.textContent, '');
  ui.peerProblem('nobody', 'x', problem); // no tile: nothing to do, no error
});

test('a renewed peer (a new connection under the same tile) starts without the old problem', () => {
  const { doc, tile } = documentWithTile('B', 'bob');
  const ui = new CallUi(/** @type {any} */ (doc));
  ui.peerAdded('B');
  const problem = { reason: /** @type {const} */ ('failed'), answered: true, turnConfigured: false, turnReachable: false, turnRefused: false, relayOnly: false };
  ui.peerProblem('B', 'bob', problem);
  ui.peerAdded('B');
  assert.equal(tile.dataset.problem, undefined);
  assert.equal(tile.querySelector('.problem')?.textContent, '');
  assert.equal(tile.dataset.connection, 'new');
});

test('remoteTiles lists each remote tile with its roster version; markAway follows the roster', () => {
  const { doc, tile } = documentWithTile('B', 'bob');
  tile.setAttribute('data-version', '12');
  const other = doc.createElement('figure');
  other.className = 'tile remote';
  other.id = 'tile-C';
  other.dataset.participant = 'C';
  doc.getElementById('tiles')?.append(other);
  const self = doc.createElement('figure');
  self.className = 'tile self';
  self.id = 'tile-self';
  doc.getElementById('tiles')?.append(self);
  const ui = new CallUi(/** @type {any} */ (doc));

  assert.deepEqual(ui.remoteTiles(), [{ id: 'B', version: 12 }, { id: 'C', version: null }]);
  assert.equal(ui.hasTile('B'), true);
  assert.equal(ui.hasTile('self'), false, 'our own tile is not a remote one');

  ui.markAway(new Map([['B', true], ['C', false], ['Z', true]]));
  assert.equal(tile.dataset.away, 'true');
  assert.equal(other.dataset.away, undefined);
  ui.markAway(new Map([['B', false]]));
  assert.equal(tile.dataset.away, undefined, 'back');
});

test('waiting: the Join button says "Stop waiting"; the outcome of a refused or removed page is on the body', () => {
  const { doc } = documentWithTile('B', 'bob');
  const join = doc.createElement('button');
  join.id = 'join';
  const label = doc.createElement('span');
  label.className = 'label';
  join.append(label);
  doc.body.append(join);
  const ui = new CallUi(/** @type {any} */ (doc));
  ui.setCallState('waiting');
  assert.equal(doc.body.dataset.call, 'waiting');
  assert.equal(label.textContent, 'Stop waiting');
  assert.equal(/** @type {any} */ (join).disabled, false);
  ui.setCallState('out');
  assert.equal(label.textContent, 'Join call');

  ui.setOutcome('refused', 'locked');
  assert.deepEqual([doc.body.dataset.outcome, doc.body.dataset.refusal], ['refused', 'locked']);
  ui.setOutcome('removed');
  assert.deepEqual([doc.body.dataset.outcome, doc.body.dataset.refusal], ['removed', undefined]);
  ui.setOutcome(null);
  assert.equal(doc.body.dataset.outcome, undefined);
});
