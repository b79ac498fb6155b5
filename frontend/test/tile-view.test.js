// The tiles as the page shows them (call/tile-view.js): laid out through CSS custom properties,
// initials, pin and full-screen tools with accessible names, the grid / speaker switch, and which
// tile speaker view shows large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialsOf, installTileView, orderTiles } from '../src/call/tile-view.js';
import { FakeDocument, FakeEvent } from '../test-support/fake-dom.js';
import { el } from '../test-support/room-dom.js';
import { fakeWindow } from '../test-support/fake-window.js';

/** A room page's #tiles (1248×610) with our own tile and the toggle-view button. */
function page() {
  const doc = new FakeDocument();
  doc.body.dataset.view = 'grid';
  const tiles = el(doc, 'div', { id: 'tiles', class: 'tiles' });
  Object.assign(tiles, { clientWidth: 1248, clientHeight: 610 });
  const view = el(doc, 'button', { id: 'toggle-view', type: 'button', 'aria-pressed': 'false' }, el(doc, 'span', { class: 'label' }, 'Speaker view'));
  doc.body.append(tiles, view);
  addTile(doc, 'tile-self', 'tile self', 'You (Ada Lovelace)');
  return { doc, tiles, view, win: fakeWindow() };
}

/** @param {FakeDocument} doc @param {string} id @param {string} className @param {string} name @param {Record<string, string>} [data] */
function addTile(doc, id, className, name, data = {}) {
  const tile = el(doc, 'figure', { id, class: className, 'data-cam': 'on', ...data },
    el(doc, 'video'), el(doc, 'figcaption', {}, el(doc, 'span', { class: 'name' }, name)));
  /** @type {any} */ (doc.getElementById('tiles')).append(tile);
  return /** @type {any} */ (tile);
}

/** @param {any} tile */
const rectOf = (tile) => ['x', 'y', 'w', 'h'].map((k) => parseFloat(tile.style.getPropertyValue(`--tile-${k}`)));
/** @param {any} tile */
const areaOf = (tile) => rectOf(tile)[2] * rectOf(tile)[3];

test('initials: first and last word, inside "You (…)", without "’s screen"', () => {
  assert.equal(initialsOf('You (Ada Lovelace)'), 'AL');
  assert.equal(initialsOf('bob'), 'B');
  assert.equal(initialsOf("Grace Brewster Hopper's screen"), 'GH');
  assert.equal(initialsOf('Your screen'), 'Y');
  assert.equal(initialsOf('élodie durand'), 'ÉD');
  assert.equal(initialsOf('  '), '?');
  assert.equal(initialsOf('😀 Zoë'), 'Z', 'a word without letters is no initial');
});

test('orderTiles: the main tile, then pinned, screens newest first, remotes, ourselves last', () => {
  const { doc } = page();
  const self = /** @type {any} */ (doc.getElementById('tile-self'));
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  const b = addTile(doc, 'tile-B', 'tile remote', 'bob');
  const s1 = addTile(doc, 'screen-A', 'tile screen remote', "ann's screen", { 'data-shared-at': '100' });
  const s2 = addTile(doc, 'screen-B', 'tile screen remote', "bob's screen", { 'data-shared-at': '200' });
  assert.deepEqual(orderTiles([self, a, b, s1, s2], null).map((t) => t.id), ['screen-B', 'screen-A', 'tile-A', 'tile-B', 'tile-self']);
  assert.deepEqual(orderTiles([self, a, b, s1, s2], b).map((t) => t.id), ['tile-B', 'screen-B', 'screen-A', 'tile-A', 'tile-self']);
});

test('every tile gets its place as CSS custom properties; new tiles are laid out on the next frame', () => {
  const { doc, tiles, win } = page();
  installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const self = /** @type {any} */ (doc.getElementById('tile-self'));
  assert.equal(tiles.dataset.layout, 'fitted');
  assert.deepEqual(rectOf(self), [82, 0, 1084, 610], 'alone: as large as 16:9 allows');
  assert.equal(self.dataset.role, 'grid');

  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  const b = addTile(doc, 'tile-B', 'tile remote', 'bob');
  win.mutated(tiles, { addedNodes: [a, b] });
  assert.deepEqual(rectOf(a), rectOf(a), 'not before the frame');
  win.flush();
  assert.ok(areaOf(a) > areaOf(self), 'a remote tile is the large one of three');
  assert.equal(areaOf(b), areaOf(self));
  const total = [self, a, b].reduce((sum, t) => sum + areaOf(t), 0);
  assert.ok(total > 0.6 * 1248 * 610, `three tiles fill ${Math.round(total / (1248 * 610) * 100)} %`);

  Object.assign(tiles, { clientWidth: 374, clientHeight: 600 });
  win.resized(tiles);
  win.flush();
  assert.ok(rectOf(a)[2] <= 374 && rectOf(self)[1] > rectOf(b)[1], 'a phone: one column, ourselves at the bottom');
});

test('initials on every tile, kept up to date with the name; data-picture once the video plays', () => {
  const { doc, tiles, win } = page();
  const view = installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const a = addTile(doc, 'tile-A', 'tile remote', 'name');
  win.mutated(tiles, { addedNodes: [a] });
  win.flush();
  const initials = a.querySelector('.initials');
  assert.equal(initials?.textContent, 'N');
  assert.equal(initials?.getAttribute('aria-hidden'), 'true');
  assert.equal(doc.getElementById('tile-self')?.querySelector('.initials')?.textContent, 'AL');
  a.querySelector('.name').textContent = 'Bob Kahn';
  view.refresh();
  assert.equal(a.querySelector('.initials')?.textContent, 'BK');
  assert.equal(a.querySelectorAll('.initials').length, 1);

  assert.equal(a.dataset.picture, undefined, 'no picture yet: initials show');
  a.querySelector('video').dispatchEvent(new FakeEvent('loadeddata'));
  assert.equal(a.dataset.picture, 'shown');
  a.querySelector('video').dispatchEvent(new FakeEvent('emptied'));
  assert.equal(a.dataset.picture, undefined);
});

test('pin: a toggle with a name; the pinned tile is shown large, one at a time', () => {
  const { doc, tiles, win } = page();
  installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  const b = addTile(doc, 'tile-B', 'tile remote', 'bob');
  win.mutated(tiles);
  win.flush();
  const pinB = b.querySelector('.tile-pin');
  assert.equal(pinB.getAttribute('aria-pressed'), 'false');
  assert.equal(pinB.getAttribute('aria-label'), 'Pin bob');
  assert.equal(pinB.tagName, 'BUTTON');

  pinB.click();
  assert.equal(b.dataset.pinned, 'true');
  assert.equal(pinB.getAttribute('aria-pressed'), 'true');
  assert.equal(pinB.getAttribute('aria-label'), 'Unpin bob');
  assert.equal(b.dataset.role, 'main');
  assert.equal(a.dataset.role, 'strip');
  assert.ok(areaOf(b) > 4 * areaOf(a));
  assert.equal(doc.body.dataset.view, 'grid', 'the view stays what it was');

  a.querySelector('.tile-pin').click();
  assert.equal(b.dataset.pinned, undefined, 'one pinned tile at a time');
  assert.equal(a.dataset.role, 'main');
  a.querySelector('.tile-pin').click();
  assert.equal(a.dataset.pinned, undefined);
  assert.equal(a.dataset.role, 'grid');
});

test('full screen: the tile itself, the button named, hidden where the browser cannot', async () => {
  const { doc, tiles, win } = page();
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  /** @type {any[]} */
  const asked = [];
  a.requestFullscreen = async () => {
    asked.push(a);
    /** @type {any} */ (doc).fullscreenElement = a;
  };
  /** @type {any} */ (doc).exitFullscreen = async () => {
    /** @type {any} */ (doc).fullscreenElement = null;
  };
  installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const button = a.querySelector('.tile-fullscreen');
  assert.equal(button.hidden, false);
  assert.equal(button.getAttribute('aria-label'), 'Show ann full screen');
  assert.equal(doc.getElementById('tile-self')?.querySelector('.tile-fullscreen')?.hidden, true, 'no requestFullscreen: no button');
  button.click();
  await Promise.resolve();
  assert.deepEqual(asked, [a]);
  for (const fn of doc.listeners.get('fullscreenchange') ?? []) fn(new FakeEvent('fullscreenchange'));
  assert.equal(button.getAttribute('aria-label'), 'Leave full screen');
  button.click();
  await Promise.resolve();
  assert.equal(/** @type {any} */ (doc).fullscreenElement, null);
  assert.equal(tiles.querySelectorAll('.tile-tools').length, 2, 'one set of tools per tile');
});

test('#toggle-view switches body data-view and aria-pressed; speaker view shows the main tile large', () => {
  const { doc, tiles, view, win } = page();
  const tileView = installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  const b = addTile(doc, 'tile-B', 'tile remote', 'bob');
  win.mutated(tiles);
  win.flush();
  view.click();
  assert.equal(doc.body.dataset.view, 'speaker');
  assert.equal(view.getAttribute('aria-pressed'), 'true');
  assert.equal(a.dataset.role, 'main', 'nobody spoke yet: the first remote tile');

  tileView.setActiveSpeaker('tile-B');
  assert.equal(b.dataset.role, 'main');
  tileView.setActiveSpeaker(null);
  assert.equal(b.dataset.role, 'main', 'silence: the last speaker stays');
  tileView.setActiveSpeaker('tile-self');
  assert.equal(b.dataset.role, 'main', 'we never fill our own screen');

  const screen = addTile(doc, 'screen-A', 'tile screen remote', "ann's screen", { 'data-shared-at': '5' });
  win.mutated(tiles, { addedNodes: [screen] });
  win.flush();
  assert.equal(screen.dataset.role, 'main', 'a screen share comes before the speaker');
  const newer = addTile(doc, 'screen-B', 'tile screen remote', "bob's screen", { 'data-shared-at': '9' });
  win.mutated(tiles, { addedNodes: [newer] });
  win.flush();
  assert.equal(newer.dataset.role, 'main', 'the newest share');

  a.querySelector('.tile-pin').click();
  assert.equal(a.dataset.role, 'main', 'pinned beats everything');

  view.click();
  assert.equal(doc.body.dataset.view, 'grid');
  assert.equal(view.getAttribute('aria-pressed'), 'false');
  assert.equal(view.querySelector('.label')?.textContent, 'Speaker view', 'a toggle keeps its name; aria-pressed tells the state');
  tileView.toggleView();
  assert.equal(doc.body.dataset.view, 'speaker');
});

test('a removed speaker tile is forgotten', () => {
  const { doc, tiles, win } = page();
  const tileView = installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  const b = addTile(doc, 'tile-B', 'tile remote', 'bob');
  tileView.setView('speaker');
  tileView.setActiveSpeaker('tile-B');
  assert.equal(b.dataset.role, 'main');
  b.remove();
  win.mutated(tiles, { removedNodes: [b] });
  win.flush();
  assert.equal(a.dataset.role, 'main');
  const back = addTile(doc, 'tile-B', 'tile remote', 'bob');
  win.mutated(tiles, { addedNodes: [back] });
  win.flush();
  assert.equal(a.dataset.role, 'main', 'back, but not speaking');
});

test('without observers the window resize still lays out', () => {
  const { doc, tiles } = page();
  /** @type {Function[]} */
  const resize = [];
  const win = { addEventListener: (/** @type {string} */ type, /** @type {Function} */ fn) => type === 'resize' && resize.push(fn) };
  const tileView = installTileView({ doc: /** @type {any} */ (doc), win: /** @type {any} */ (win) });
  assert.equal(resize.length, 1);
  const a = addTile(doc, 'tile-A', 'tile remote', 'ann');
  tileView.refresh();
  assert.ok(areaOf(a) > 0);
  Object.assign(tiles, { clientWidth: 600, clientHeight: 300 });
  resize[0]();
  return Promise.resolve().then(() => {
    assert.ok(rectOf(a)[2] <= 600);
    assert.equal(tileView.layout()?.rects.length, 2);
  });
});
