// The tile layout (call/layout.js): tiles as large as the area allows at a video's shape, the
// main tile largest, no overlap, nothing outside the area; speaker view's main tile and strip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASPECTS, fitTile, layoutTiles, lineSplits } from '../src/call/layout.js';

/** @param {number} n @param {Partial<Record<number, 'screen'>>} [kinds] */
const tiles = (n, kinds = {}) => Array.from({ length: n }, (_, i) => ({ id: `t${i}`, kind: kinds[i] ?? /** @type {const} */ ('camera') }));

/** @param {import('../src/call/layout.js').Layout} layout @param {number} W @param {number} H */
function assertSane(layout, W, H, gap = 8) {
  for (const r of layout.rects) {
    assert.ok(r.w > 0 && r.h > 0, `${r.id} has a size: ${JSON.stringify(r)}`);
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= W + 0.5 && r.y + r.h <= H + 0.5, `${r.id} inside ${W}×${H}: ${JSON.stringify(r)}`);
  }
  for (const a of layout.rects) {
    for (const b of layout.rects) {
      if (a === b) continue;
      const apart = a.x + a.w + gap - 1 <= b.x || b.x + b.w + gap - 1 <= a.x || a.y + a.h + gap - 1 <= b.y || b.y + b.h + gap - 1 <= a.y;
      assert.ok(apart, `${a.id} and ${b.id} overlap or touch: ${JSON.stringify([a, b])}`);
    }
  }
}

/** @param {{ w: number, h: number }} r */
const shape = (r) => r.w / r.h;

test('fitTile keeps camera tiles between 4:3 and 16:9, screens between 1:2 and 3:1', () => {
  assert.deepEqual(fitTile(1600, 900, 'camera'), { w: 1600, h: 900 });
  assert.deepEqual(fitTile(2000, 900, 'camera'), { w: 1600, h: 900 }, 'too wide: narrower');
  assert.deepEqual(fitTile(1200, 1200, 'camera'), { w: 1200, h: 900 }, 'too tall: shorter');
  assert.deepEqual(fitTile(900, 1200, 'screen'), { w: 900, h: 1200 }, 'a portrait screen fits as it is');
  assert.deepEqual(fitTile(0, 100, 'camera'), { w: 0, h: 0 });
  assert.equal(ASPECTS.camera.min, 4 / 3);
});

test('lineSplits: balanced counts, fewer first or last', () => {
  assert.deepEqual(lineSplits(1), [[1]]);
  assert.deepEqual(lineSplits(3), [[3], [1, 2], [2, 1], [1, 1, 1]]);
  assert.ok(lineSplits(8).every((split) => split.reduce((a, b) => a + b) === 8 && Math.max(...split) - Math.min(...split) <= 1));
});

test('no tiles, or no room: nothing to place', () => {
  assert.deepEqual(layoutTiles({ width: 800, height: 600, tiles: [] }).rects, []);
  const none = layoutTiles({ width: 0, height: 600, tiles: tiles(2) });
  assert.ok(none.rects.every((r) => r.w === 0 && r.h === 0));
});

test('one tile fills the area at its shape, centred', () => {
  const { rects } = layoutTiles({ width: 1000, height: 500, tiles: tiles(1) });
  assert.deepEqual(rects[0], { id: 't0', x: 56, y: 0, w: 888, h: 500, role: 'grid' });
});

// The areas #tiles gets on the three screens of issue 10 (1280×800, a 390×844 phone, 640×400).
const SCREENS = [
  { name: 'desktop', W: 1248, H: 610 },
  { name: 'phone', W: 374, H: 600 },
  { name: 'zoomed', W: 620, H: 250 },
];

for (const { name, W, H } of SCREENS) {
  test(`${name} ${W}×${H}: 1 to 9 tiles fill most of the area, in it, apart, at video shapes`, () => {
    for (let n = 1; n <= 9; n++) {
      const layout = layoutTiles({ width: W, height: H, tiles: tiles(n) });
      assert.equal(layout.rects.length, n);
      assertSane(layout, W, H);
      for (const r of layout.rects) assert.ok(shape(r) >= 4 / 3 - 0.02 && shape(r) <= 16 / 9 + 0.02, `${n} tiles: ${r.id} ${r.w}×${r.h}`);
      const areas = layout.rects.map((r) => r.w * r.h);
      assert.ok(Math.min(...areas) >= 0.19 * Math.max(...areas), `${n} tiles: nobody is a thumbnail: ${areas}`);
      assert.equal(areas[0], Math.max(...areas), `${n} tiles: the first is (one of) the largest`);
      if (n >= 2) assert.ok(layout.area >= 0.6 * W * H, `${n} tiles fill ${(layout.area / (W * H)).toFixed(2)} of ${W}×${H}`);
    }
  });
}

test('three tiles on a wide area: one large, two stacked beside it, far more than a 2×2 grid', () => {
  const layout = layoutTiles({ width: 1248, height: 610, tiles: tiles(3) });
  assert.equal(layout.direction, 'columns');
  assert.deepEqual(layout.lines, [1, 2]);
  const [big, a, b] = layout.rects;
  assert.equal(big.h, 610);
  assert.equal(a.x, b.x);
  assert.ok(a.y + a.h < b.y);
  const twoByTwo = 3 * (fitTile((1248 - 8) / 2, (610 - 8) / 2, 'camera').w * ((610 - 8) / 2));
  assert.ok(layout.area > 1.3 * twoByTwo, `${layout.area} vs ${twoByTwo}`);
});

test('on a phone three tiles stack in one column', () => {
  const layout = layoutTiles({ width: 374, height: 600, tiles: tiles(3) });
  assert.deepEqual(layout.lines, [1, 1, 1]);
  assert.equal(new Set(layout.rects.map((r) => r.x)).size, 1);
});

test('four tiles: a uniform 2×2 grid on a wide area', () => {
  const layout = layoutTiles({ width: 1248, height: 610, tiles: tiles(4) });
  assert.deepEqual(layout.lines, [2, 2]);
  assert.equal(new Set(layout.rects.map((r) => `${r.w}×${r.h}`)).size, 1);
});

test('a screen tile may be taller than a camera tile', () => {
  const layout = layoutTiles({ width: 600, height: 900, tiles: tiles(1, { 0: 'screen' }) });
  assert.deepEqual(layout.rects[0], { id: 't0', x: 0, y: 0, w: 600, h: 900, role: 'grid' });
});

test('speaker view: the main tile large, the others in a strip beside it on a wide area', () => {
  const W = 1248;
  const H = 610;
  const layout = layoutTiles({ width: W, height: H, tiles: tiles(4), view: 'speaker' });
  assertSane(layout, W, H);
  assert.equal(layout.view, 'speaker');
  assert.equal(layout.direction, 'columns');
  const [main, ...strip] = layout.rects;
  assert.equal(main.role, 'main');
  assert.ok(strip.every((r) => r.role === 'strip' && r.x > main.x + main.w && r.w * r.h < main.w * main.h / 4));
  assert.ok(main.w * main.h >= 0.7 * W * H * (9 / 16) * (16 / 9) * 0.7, 'main tile large');
});

test('speaker view on a phone: the strip goes below the main tile', () => {
  const layout = layoutTiles({ width: 374, height: 600, tiles: tiles(3), view: 'speaker' });
  assertSane(layout, 374, 600);
  assert.equal(layout.direction, 'rows');
  const [main, ...strip] = layout.rects;
  assert.ok(strip.every((r) => r.y > main.y + main.h));
});

test('speaker view with one tile is just that tile', () => {
  const layout = layoutTiles({ width: 800, height: 600, tiles: tiles(1), view: 'speaker' });
  assert.equal(layout.rects[0].role, 'grid');
  assert.equal(layout.rects[0].w, 800);
});

test('a layout of many tiles takes little time', () => {
  const started = performance.now();
  for (let n = 1; n <= 12; n++) layoutTiles({ width: 1900, height: 1000, tiles: tiles(n) });
  assert.ok(performance.now() - started < 1500, `${Math.round(performance.now() - started)} ms`);
});
