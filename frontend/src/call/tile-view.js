// The tiles as the room page shows them: laid out to fill #tiles (call/layout.js), each with the
// participant's initials (shown while there is no picture), a pin toggle and a full-screen
// button; the grid / speaker view switch (#toggle-view, <body data-view>).
//
// Tiles come and go under #tiles (htmx, call-ui.js, the screen share): a MutationObserver
// re-lays them out, a ResizeObserver follows the area's size. Positions are CSS custom
// properties on each tile (--tile-x, --tile-y, --tile-w, --tile-h; #tiles[data-layout="fitted"]
// turns them on), so the DOM order, and with it every playing <video>, stays as it is.
//
// Which tile is shown largest: the pinned one, else the newest screen share (data-shared-at),
// else the active speaker (not ourselves; the last one stays while nobody speaks), else the
// first remote tile. A pinned tile is shown large in either view.

import { layoutTiles } from './layout.js';

/** Used when the stylesheet says nothing (px). */
const DEFAULT_GAP = 8;

/**
 * @typedef {object} TileView
 * @property {(tileId: string | null) => void} setActiveSpeaker the speaking tile's element id (#tile-self, #tile-<id>), or null
 * @property {() => void} refresh lays the tiles out again now
 * @property {(view: 'grid' | 'speaker') => void} setView
 * @property {() => void} toggleView
 * @property {() => import('./layout.js').Layout | null} layout the last layout applied (for tests)
 */

/**
 * The initials of a tile's name: "You (Ada Lovelace)" → "AL", "bob's screen" → "B".
 * @param {string} name
 */
export function initialsOf(name) {
  const inner = /\(([^)]+)\)\s*$/.exec(name)?.[1] ?? name;
  const bare = inner.replace(/['’]s screen$/i, '').replace(/^your screen$/i, 'You').trim();
  const words = bare.split(/[\s._-]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (!words.length) return '?';
  const first = (/** @type {string} */ word) => Array.from(word.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '';
  const letters = words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0]);
  return letters.toLocaleUpperCase();
}

/**
 * The order tiles are laid out in: pinned, screens (newest first), remote cameras as in the DOM,
 * our own tile last. `main` goes first when given.
 * @param {HTMLElement[]} tiles
 * @param {HTMLElement | null} main
 */
export function orderTiles(tiles, main) {
  const rank = (/** @type {HTMLElement} */ tile) => {
    if (tile === main) return 0;
    if (tile.dataset.pinned === 'true') return 1;
    if (tile.classList.contains('screen')) return 2;
    if (tile.classList.contains('self')) return 4;
    return 3;
  };
  const sharedAt = (/** @type {HTMLElement} */ tile) => Number(tile.dataset.sharedAt) || 0;
  return tiles
    .map((tile, i) => ({ tile, i }))
    .sort((a, b) => rank(a.tile) - rank(b.tile) || (rank(a.tile) === 2 ? sharedAt(b.tile) - sharedAt(a.tile) : 0) || a.i - b.i)
    .map(({ tile }) => tile);
}

/**
 * @param {object} deps
 * @param {Document} deps.doc
 * @param {Window & typeof globalThis} deps.win for MutationObserver, ResizeObserver, getComputedStyle, requestAnimationFrame
 * @returns {TileView}
 */
export function installTileView({ doc, win }) {
  const container = /** @type {HTMLElement | null} */ (doc.getElementById('tiles'));
  const viewButton = doc.getElementById('toggle-view');
  /** The speaking tile's id, or the last remote one that spoke. */
  let speaker = /** @type {string | null} */ (null);
  /** @type {import('./layout.js').Layout | null} */
  let last = null;
  let scheduled = false;

  const tilesNow = () => /** @type {HTMLElement[]} */ ([...(container?.children ?? [])].filter((el) => el.classList.contains('tile')));

  const view = () => (doc.body.dataset.view === 'speaker' ? 'speaker' : 'grid');

  /** @param {'grid' | 'speaker'} next */
  const setView = (next) => {
    doc.body.dataset.view = next;
    viewButton?.setAttribute('aria-pressed', String(next === 'speaker'));
    refresh();
  };

  /** @param {HTMLElement[]} tiles */
  const mainTile = (tiles) => {
    const pinned = tiles.find((t) => t.dataset.pinned === 'true');
    if (pinned) return pinned;
    const screens = tiles.filter((t) => t.classList.contains('screen'));
    if (screens.length) return orderTiles(screens, null)[0];
    const speaking = speaker ? tiles.find((t) => t.id === speaker) : undefined;
    if (speaking) return speaking;
    return tiles.find((t) => t.classList.contains('remote')) ?? tiles[0] ?? null;
  };

  function refresh() {
    if (!container) return;
    const tiles = tilesNow();
    for (const tile of tiles) decorate(tile);
    const pinned = tiles.some((t) => t.dataset.pinned === 'true');
    const large = view() === 'speaker' || pinned;
    const main = large ? mainTile(tiles) : null;
    const ordered = orderTiles(tiles, main);
    const layout = layoutTiles({
      width: container.clientWidth,
      height: container.clientHeight,
      gap: gapOf(win, container),
      tiles: ordered.map((t) => ({ id: t.id, kind: t.classList.contains('screen') ? 'screen' : 'camera' })),
      view: large ? 'speaker' : 'grid',
    });
    const byId = new Map(ordered.map((t) => [t.id, t]));
    for (const rect of layout.rects) {
      const tile = byId.get(rect.id);
      if (!tile) continue;
      tile.style.setProperty('--tile-x', `${rect.x}px`);
      tile.style.setProperty('--tile-y', `${rect.y}px`);
      tile.style.setProperty('--tile-w', `${rect.w}px`);
      tile.style.setProperty('--tile-h', `${rect.h}px`);
      tile.dataset.role = rect.role;
    }
    container.dataset.layout = 'fitted';
    last = layout;
  }

  /** Once per frame at most: observers fire in bursts. */
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      refresh();
    };
    if (typeof win.requestAnimationFrame === 'function') win.requestAnimationFrame(run);
    else queueMicrotask(run);
  }

  /** @param {HTMLElement} tile */
  function decorate(tile) {
    const name = tile.querySelector('.name')?.textContent?.trim() ?? '';
    let initials = /** @type {HTMLElement | null} */ (tile.querySelector('.initials'));
    if (!initials) {
      initials = doc.createElement('span');
      initials.className = 'initials';
      initials.setAttribute('aria-hidden', 'true'); // the caption names the person already
      tile.prepend(initials);
      watchPicture(tile);
    }
    const letters = initialsOf(name);
    if (initials.textContent !== letters) initials.textContent = letters;

    let tools = /** @type {HTMLElement | null} */ (tile.querySelector('.tile-tools'));
    if (!tools) {
      tools = doc.createElement('div');
      tools.className = 'tile-tools';
      tools.append(toolButton('tile-pin'), toolButton('tile-fullscreen'));
      tile.append(tools);
    }
    const pin = tools.querySelector('.tile-pin');
    const pinned = tile.dataset.pinned === 'true';
    pin?.setAttribute('aria-pressed', String(pinned));
    label(pin, pinned ? `Unpin ${name}` : `Pin ${name}`);
    const full = /** @type {HTMLElement | null} */ (tools.querySelector('.tile-fullscreen'));
    if (full) {
      full.hidden = typeof tile.requestFullscreen !== 'function' || doc.fullscreenEnabled === false;
      label(full, doc.fullscreenElement === tile ? `Leave full screen` : `Show ${name} full screen`);
    }
  }

  /** @param {string} className */
  function toolButton(className) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = `tile-tool ${className}`;
    const icon = doc.createElement('span');
    icon.className = 'tool-icon';
    icon.setAttribute('aria-hidden', 'true');
    button.append(icon);
    return button;
  }

  /** @param {Element | null} button @param {string} text */
  function label(button, text) {
    if (!button) return;
    if (button.getAttribute('aria-label') !== text) button.setAttribute('aria-label', text);
    if (button.getAttribute('title') !== text) button.setAttribute('title', text);
  }

  /**
   * data-picture="shown" once the video has a frame, until it loses its stream.
   * @param {HTMLElement} tile
   */
  function watchPicture(tile) {
    const video = /** @type {HTMLVideoElement | null} */ (tile.querySelector('video'));
    if (!video) return;
    const shown = () => {
      tile.dataset.picture = 'shown';
    };
    const gone = () => {
      delete tile.dataset.picture;
    };
    if (video.readyState >= 2) shown();
    for (const type of ['loadeddata', 'playing', 'resize']) video.addEventListener(type, shown);
    video.addEventListener('emptied', gone);
  }

  /** @param {HTMLElement} tile */
  function togglePin(tile) {
    const pin = tile.dataset.pinned !== 'true';
    for (const other of tilesNow()) delete other.dataset.pinned;
    if (pin) tile.dataset.pinned = 'true';
    refresh();
  }

  /** @param {HTMLElement} tile */
  async function toggleFullscreen(tile) {
    try {
      if (doc.fullscreenElement === tile) await doc.exitFullscreen();
      else await tile.requestFullscreen();
    } catch (error) {
      console.warn('confab: full screen', error); // refused (no user gesture, a policy): nothing changes
    }
  }

  container?.addEventListener('click', (event) => {
    const button = /** @type {Element | null} */ (event.target)?.closest?.('.tile-tool');
    const tile = /** @type {HTMLElement | null} */ (button?.closest('.tile') ?? null);
    if (!button || !tile) return;
    if (button.classList.contains('tile-pin')) togglePin(tile);
    else if (button.classList.contains('tile-fullscreen')) void toggleFullscreen(tile);
  });
  doc.addEventListener('fullscreenchange', () => refresh());
  viewButton?.addEventListener('click', () => setView(view() === 'speaker' ? 'grid' : 'speaker'));

  if (container && typeof win.MutationObserver === 'function') {
    // Children of #tiles only: what we add inside a tile does not wake it.
    new win.MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.removedNodes) {
          const tile = /** @type {HTMLElement} */ (node);
          if (tile.id && tile.id === speaker) speaker = null;
        }
      }
      schedule();
    }).observe(container, { childList: true });
  }
  if (container && typeof win.ResizeObserver === 'function') new win.ResizeObserver(() => schedule()).observe(container);
  else win.addEventListener?.('resize', () => schedule());

  viewButton?.setAttribute('aria-pressed', String(view() === 'speaker'));
  refresh();

  return {
    setActiveSpeaker(tileId) {
      // Ourselves speaking, or silence: the last remote speaker stays large.
      if (!tileId || tileId === 'tile-self' || tileId === speaker) return;
      speaker = tileId;
      if (view() === 'speaker') refresh();
    },
    refresh,
    setView,
    toggleView: () => setView(view() === 'speaker' ? 'grid' : 'speaker'),
    layout: () => last,
  };
}

/**
 * The gap between tiles, from the stylesheet (#tiles { gap }) when it says one.
 * @param {Window} win
 * @param {HTMLElement} container
 */
function gapOf(win, container) {
  const gap = typeof win.getComputedStyle === 'function' ? parseFloat(win.getComputedStyle(container).rowGap) : NaN;
  return Number.isFinite(gap) ? gap : DEFAULT_GAP;
}
