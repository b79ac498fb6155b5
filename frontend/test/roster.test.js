import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNewerRoster, readRoster, rosterIn, staleTiles, versionOf } from '../src/call/roster.js';
import { FakeDocument } from '../test-support/fake-dom.js';

/**
 * A roster as the server renders it (docs/protocol.md, "Room roster").
 * @param {FakeDocument} doc
 * @param {number | null} version
 * @param {{id: string, name: string, away?: boolean}[]} people
 */
function roster(doc, version, people) {
  const section = doc.createElement('section');
  section.id = 'roster';
  if (version !== null) section.setAttribute('data-version', String(version));
  const list = doc.createElement('ul');
  for (const { id, name, away } of people) {
    const item = doc.createElement('li');
    item.setAttribute('data-participant', id);
    if (away) item.setAttribute('data-away', 'true');
    const span = doc.createElement('span');
    span.className = 'name';
    span.textContent = name;
    item.append(span);
    list.append(item);
  }
  section.append(list);
  return section;
}

test('versionOf reads data-version; anything unsound is no version', () => {
  const doc = new FakeDocument();
  assert.equal(versionOf(roster(doc, 12, [])), 12);
  assert.equal(versionOf(roster(doc, null, [])), null);
  const odd = roster(doc, null, []);
  odd.setAttribute('data-version', 'twelve');
  assert.equal(versionOf(odd), null);
  assert.equal(versionOf(null), null);
});

test('only a higher version replaces the roster on the page; without versions any does', () => {
  const doc = new FakeDocument();
  assert.equal(isNewerRoster(roster(doc, 12, []), roster(doc, 13, [])), true);
  assert.equal(isNewerRoster(roster(doc, 12, []), roster(doc, 12, [])), false, 'the same one again');
  assert.equal(isNewerRoster(roster(doc, 12, []), roster(doc, 11, [])), false, 'an older one that came late');
  assert.equal(isNewerRoster(roster(doc, null, []), roster(doc, 3, [])), true);
  assert.equal(isNewerRoster(roster(doc, 3, []), roster(doc, null, [])), true);
});

test('rosterIn finds the new roster in what htmx hands oobBeforeSwap', () => {
  const doc = new FakeDocument();
  const section = roster(doc, 4, []);
  const fragment = doc.createElement('fragment');
  fragment.append(section);
  assert.equal(rosterIn(fragment), section);
  assert.equal(rosterIn(section), section);
  assert.equal(rosterIn(null), null);
});

test('readRoster: who is listed, and who is away', () => {
  const doc = new FakeDocument();
  const read = readRoster(roster(doc, 7, [{ id: 'A', name: 'alice' }, { id: 'B', name: 'bob', away: true }]));
  assert.equal(read?.version, 7);
  assert.deepEqual([...(read?.members ?? [])], [['A', false], ['B', true]]);
  assert.equal(readRoster(null), null);
});

test('staleTiles: unlisted and older than the roster; a newer tile or one without a version stays', () => {
  const members = new Map([['A', false]]);
  const tiles = [
    { id: 'A', version: 3 },
    { id: 'B', version: 5 }, // left before roster 6
    { id: 'C', version: 6 }, // joined with roster 6's change... listed in the next one
    { id: 'D', version: 9 }, // its join is newer than this roster
    { id: 'E', version: null },
  ];
  assert.deepEqual(staleTiles({ version: 6, members }, tiles), ['B']);
  assert.deepEqual(staleTiles({ version: null, members }, tiles), [], 'no version: nothing to go by');
});
