// Where each tile goes: pure geometry, no DOM. Given the area the tiles may use, the tiles in
// order (the first is the one to show largest) and the view, returns a rectangle per tile.
//
// Grid view tries every way of cutting the tiles into rows (or columns) of balanced counts; each
// row gets the height that maximises the total tile area, tiles inside a row share its width.
// A uniform grid is one of those ways; another (one tile, then two stacked beside it) is what
// makes three tiles fill a 16:10 screen. Camera tiles stay between 4:3 and 16:9 (their videos
// use object-fit: cover, so that crops little); screen tiles show their video whole (contain),
// so they may take any shape from 1:2 to 3:1.
// Speaker view: the main tile large, the others in a strip below it or beside it, whichever
// leaves the main tile more area.

/** @typedef {'camera' | 'screen'} TileKind */

/**
 * @typedef {object} TileSpec
 * @property {string} id
 * @property {TileKind} [kind] camera when absent
 */

/**
 * @typedef {object} Rect
 * @property {string} id
 * @property {number} x px from the area's left edge
 * @property {number} y px from the area's top edge
 * @property {number} w
 * @property {number} h
 * @property {'grid' | 'main' | 'strip'} role
 */

/**
 * @typedef {object} Layout
 * @property {Rect[]} rects in the order of the tiles given
 * @property {'grid' | 'speaker'} view what was laid out (speaker needs two tiles or more)
 * @property {'rows' | 'columns'} direction grid: rows of tiles, or columns; speaker: strip below (rows) or beside (columns)
 * @property {number[]} lines grid: tiles per row (or column), in order
 * @property {number} area total tile area, px²
 */

/** Shapes a tile may take, width / height. */
export const ASPECTS = Object.freeze({
  camera: Object.freeze({ min: 4 / 3, max: 16 / 9 }),
  screen: Object.freeze({ min: 1 / 2, max: 3 }),
});

/** A uniform grid (every tile the same size) wins unless another way gives this much more area. */
const UNIFORM_PREFERENCE = 1.05;

/** In grid view no tile is smaller than this share of the largest one's area: nobody is a thumbnail. */
const FAIRNESS = 0.2;

/** The speaker view's strip: this share of the area's shorter side, within these bounds (px). */
const STRIP_SHARE = 0.22;
const STRIP_MIN = 72;
const STRIP_MAX = 200;

/**
 * @param {object} input
 * @param {number} input.width px available
 * @param {number} input.height
 * @param {TileSpec[]} input.tiles in order: the first is shown largest
 * @param {number} [input.gap] px between tiles
 * @param {'grid' | 'speaker'} [input.view]
 * @returns {Layout}
 */
export function layoutTiles({ width, height, tiles, gap = 8, view = 'grid' }) {
  const W = Math.max(0, width);
  const H = Math.max(0, height);
  if (!tiles.length || W <= 0 || H <= 0) {
    return { rects: tiles.map((t) => ({ id: t.id, x: 0, y: 0, w: 0, h: 0, role: 'grid' })), view, direction: 'rows', lines: [], area: 0 };
  }
  if (view === 'speaker' && tiles.length > 1) return speakerLayout(W, H, tiles, gap);
  return gridLayout(W, H, tiles, gap);
}

/**
 * The largest tile of an allowed shape inside a cell.
 * @param {number} cellW
 * @param {number} cellH
 * @param {TileKind | undefined} kind
 * @returns {{ w: number, h: number }}
 */
export function fitTile(cellW, cellH, kind) {
  const { min, max } = ASPECTS[kind ?? 'camera'] ?? ASPECTS.camera;
  if (cellW <= 0 || cellH <= 0) return { w: 0, h: 0 };
  const shape = cellW / cellH;
  if (shape > max) return { w: cellH * max, h: cellH };
  if (shape < min) return { w: cellW, h: cellW / min };
  return { w: cellW, h: cellH };
}

/**
 * @param {number} W
 * @param {number} H
 * @param {TileSpec[]} tiles
 * @param {number} gap
 * @returns {Layout}
 */
function gridLayout(W, H, tiles, gap) {
  /** @type {Layout | null} */
  let best = null;
  let bestScore = -1;
  for (const direction of /** @type {const} */ (['rows', 'columns'])) {
    for (const lines of lineSplits(tiles.length)) {
      const layout = linesLayout(W, H, tiles, gap, lines, direction);
      const uniform = new Set(layout.rects.map((r) => `${Math.round(r.w)}x${Math.round(r.h)}`)).size === 1;
      const score = layout.area * (uniform ? UNIFORM_PREFERENCE : 1);
      if (score > bestScore + 1e-6) {
        best = layout;
        bestScore = score;
      }
    }
  }
  const chosen = /** @type {Layout} */ (best);
  const index = new Map(tiles.map((t, i) => [t.id, i]));
  chosen.rects.sort((a, b) => (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0));
  return chosen;
}

/**
 * Every balanced way to cut n tiles into lines (counts differ by one at most), the fuller lines
 * last (so the first tile, the main one, gets a roomier line) or first.
 * @param {number} n
 * @returns {number[][]}
 */
export function lineSplits(n) {
  /** @type {number[][]} */
  const splits = [];
  for (let count = 1; count <= n; count++) {
    const small = Math.floor(n / count);
    const big = n % count;
    const fewFirst = [...Array(count - big).fill(small), ...Array(big).fill(small + 1)];
    splits.push(fewFirst);
    if (big) splits.push([...fewFirst].reverse());
  }
  return splits;
}

/**
 * Tiles in lines (rows, or columns when direction is columns): each line's thickness chosen to
 * maximise the total area; lines of one count share one thickness.
 * @param {number} W
 * @param {number} H
 * @param {TileSpec[]} tiles
 * @param {number} gap
 * @param {number[]} lines
 * @param {'rows' | 'columns'} direction
 * @returns {Layout}
 */
function linesLayout(W, H, tiles, gap, lines, direction) {
  // Think in rows; columns are rows of the transposed area.
  const across = direction === 'rows' ? W : H;
  const along = (direction === 'rows' ? H : W) - gap * (lines.length - 1);
  const groups = lineGroups(tiles, lines);
  const counts = [...new Set(lines)];
  /** @param {number[]} thickness per line @returns {number} total area; -1 when a tile is far smaller than another */
  const total = (thickness) => {
    const areas = groups.flatMap((group, i) => lineTiles(group, across, thickness[i], gap, direction).map(({ w, h }) => w * h));
    return Math.min(...areas) < FAIRNESS * Math.max(...areas) ? -1 : areas.reduce((a, b) => a + b, 0);
  };

  /** @type {number[]} */
  let thickness = lines.map(() => along / lines.length);
  if (counts.length === 2 && along > 0) {
    // Two kinds of line: try every split of the length between them, in steps of a pixel or so.
    const [a] = counts;
    const na = lines.filter((c) => c === a).length;
    const nb = lines.length - na;
    const step = Math.max(1, along / 400);
    let bestArea = -1;
    for (let ta = 0; ta * na <= along; ta += step) {
      const tb = (along - ta * na) / nb;
      const candidate = lines.map((c) => (c === a ? ta : tb));
      const area = total(candidate);
      if (area > bestArea) {
        bestArea = area;
        thickness = candidate;
      }
    }
    if (bestArea < 0) return { rects: [], view: 'grid', direction, lines, area: -1 };
  }
  return place(W, H, byTileSize(tiles, groups, across, thickness, gap, direction), thickness, gap, direction, lines);
}

/**
 * The same lines, refilled so that the first tiles go to the lines of the largest tiles (lines
 * of equal tiles keep their order).
 * @param {TileSpec[]} tiles
 * @param {TileSpec[][]} groups
 * @param {number} across
 * @param {number[]} thickness
 * @param {number} gap
 * @param {'rows' | 'columns'} direction
 * @returns {TileSpec[][]}
 */
function byTileSize(tiles, groups, across, thickness, gap, direction) {
  const size = groups.map((group, i) => {
    const { w, h } = fitTile(...cellOf(group.length, across, thickness[i], gap, direction), 'camera');
    return w * h;
  });
  const order = groups.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
  /** @type {TileSpec[][]} */
  const refilled = groups.map(() => []);
  let at = 0;
  for (const i of order) {
    refilled[i] = tiles.slice(at, at + groups[i].length);
    at += groups[i].length;
  }
  return refilled;
}

/**
 * A line's cell, as width and height.
 * @param {number} count
 * @param {number} across
 * @param {number} thickness
 * @param {number} gap
 * @param {'rows' | 'columns'} direction
 * @returns {[number, number]}
 */
function cellOf(count, across, thickness, gap, direction) {
  const cell = Math.max(0, (across - gap * (count - 1)) / count);
  return direction === 'rows' ? [cell, thickness] : [thickness, cell];
}

/**
 * @param {TileSpec[]} tiles
 * @param {number[]} lines
 * @returns {TileSpec[][]}
 */
function lineGroups(tiles, lines) {
  let at = 0;
  return lines.map((count) => {
    const group = tiles.slice(at, at + count);
    at += count;
    return group;
  });
}

/**
 * The tile sizes of one line: its tiles share the length across it.
 * @param {TileSpec[]} group
 * @param {number} across
 * @param {number} thickness
 * @param {number} gap
 * @param {'rows' | 'columns'} direction
 */
function lineTiles(group, across, thickness, gap, direction) {
  const [w, h] = cellOf(group.length, across, thickness, gap, direction);
  return group.map((tile) => fitTile(w, h, tile.kind));
}

/**
 * @param {TileSpec[]} group
 * @param {number} across
 * @param {number} thickness
 * @param {number} gap
 * @param {'rows' | 'columns'} direction
 */
function lineArea(group, across, thickness, gap, direction) {
  return lineTiles(group, across, thickness, gap, direction).reduce((sum, { w, h }) => sum + w * h, 0);
}

/**
 * Positions: each line as thick as its largest tile, lines centred in the area, tiles centred in
 * their line.
 * @param {number} W
 * @param {number} H
 * @param {TileSpec[][]} groups
 * @param {number[]} thickness
 * @param {number} gap
 * @param {'rows' | 'columns'} direction
 * @param {number[]} lines
 * @returns {Layout}
 */
function place(W, H, groups, thickness, gap, direction, lines) {
  const rows = direction === 'rows';
  const sizes = groups.map((group, i) => lineTiles(group, rows ? W : H, thickness[i], gap, direction));
  const used = sizes.map((line) => Math.max(...line.map(({ w, h }) => (rows ? h : w))));
  const span = used.reduce((a, b) => a + b, 0) + gap * (groups.length - 1);
  let along = ((rows ? H : W) - span) / 2;
  /** @type {Rect[]} */
  const rects = [];
  groups.forEach((group, i) => {
    const line = sizes[i];
    const length = line.reduce((sum, { w, h }) => sum + (rows ? w : h), 0) + gap * (group.length - 1);
    let across = ((rows ? W : H) - length) / 2;
    group.forEach((tile, j) => {
      const { w, h } = line[j];
      const offset = (used[i] - (rows ? h : w)) / 2;
      rects.push(rows
        ? { id: tile.id, x: across, y: along + offset, w, h, role: 'grid' }
        : { id: tile.id, x: along + offset, y: across, w, h, role: 'grid' });
      across += (rows ? w : h) + gap;
    });
    along += used[i] + gap;
  });
  return { rects: rects.map(rounded), view: 'grid', direction, lines, area: areaOf(rects) };
}

/**
 * The main tile (tiles[0]) large, the others in a strip below it (rows) or beside it (columns).
 * @param {number} W
 * @param {number} H
 * @param {TileSpec[]} tiles
 * @param {number} gap
 * @returns {Layout}
 */
function speakerLayout(W, H, tiles, gap) {
  const [main, ...others] = tiles;
  const strip = Math.min(STRIP_MAX, Math.max(STRIP_MIN, STRIP_SHARE * Math.min(W, H)));
  /** @type {Layout | null} */
  let best = null;
  let bestMain = -1;
  for (const direction of /** @type {const} */ (['rows', 'columns'])) {
    const below = direction === 'rows';
    const mainBox = below ? { w: W, h: H - strip - gap } : { w: W - strip - gap, h: H };
    const big = fitTile(mainBox.w, mainBox.h, main.kind);
    if (big.w * big.h <= bestMain) continue;
    bestMain = big.w * big.h;
    const small = lineTiles(others, below ? W : H, strip, gap, below ? 'rows' : 'columns');
    // Main and strip together, centred in the area.
    const stripUsed = Math.max(...small.map(({ w, h }) => (below ? h : w)));
    const spanW = below ? W : big.w + gap + stripUsed;
    const spanH = below ? big.h + gap + stripUsed : H;
    const left = (W - spanW) / 2;
    const top = (H - spanH) / 2;
    /** @type {Rect[]} */
    const rects = [below
      ? { id: main.id, x: (W - big.w) / 2, y: top, w: big.w, h: big.h, role: 'main' }
      : { id: main.id, x: left, y: (H - big.h) / 2, w: big.w, h: big.h, role: 'main' }];
    const length = small.reduce((sum, { w, h }) => sum + (below ? w : h), 0) + gap * (others.length - 1);
    let across = ((below ? W : H) - length) / 2;
    others.forEach((tile, i) => {
      const { w, h } = small[i];
      rects.push(below
        ? { id: tile.id, x: across, y: top + big.h + gap + (stripUsed - h) / 2, w, h, role: 'strip' }
        : { id: tile.id, x: left + big.w + gap + (stripUsed - w) / 2, y: across, w, h, role: 'strip' });
      across += (below ? w : h) + gap;
    });
    best = { rects: rects.map(rounded), view: 'speaker', direction, lines: [1, others.length], area: areaOf(rects) };
  }
  return /** @type {Layout} */ (best);
}

/** @param {Rect[]} rects */
function areaOf(rects) {
  return rects.reduce((sum, r) => sum + r.w * r.h, 0);
}

/**
 * Whole pixels (down, so rounding never makes tiles overlap or overflow).
 * @param {Rect} r
 * @returns {Rect}
 */
function rounded(r) {
  return { ...r, x: Math.round(r.x), y: Math.round(r.y), w: Math.floor(r.w), h: Math.floor(r.h) };
}
