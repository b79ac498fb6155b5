import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installShortcuts, isTypingTarget, shortcutFor } from '../src/call/shortcuts.js';
import { installLeaveGuard } from '../src/call/leave-guard.js';

/** A bare element as the shortcut checks see it. */
const element = (tagName, attributes = {}, extra = {}) => ({
  tagName: tagName.toUpperCase(),
  getAttribute: (/** @type {string} */ name) => /** @type {Record<string, string>} */ (attributes)[name] ?? null,
  ...extra,
});

test('shortcutFor: one key per action, either case; nothing for other keys', () => {
  const body = element('body');
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (body) }), 'mic');
  assert.equal(shortcutFor({ key: 'M', target: /** @type {any} */ (body) }), 'mic');
  assert.equal(shortcutFor({ key: 'v', target: /** @type {any} */ (body) }), 'cam');
  assert.equal(shortcutFor({ key: 's', target: /** @type {any} */ (body) }), 'screen');
  assert.equal(shortcutFor({ key: 'c', target: /** @type {any} */ (body) }), 'chat');
  assert.equal(shortcutFor({ key: 'h', target: /** @type {any} */ (body) }), 'hand');
  assert.equal(shortcutFor({ key: 'g', target: /** @type {any} */ (body) }), 'view');
  assert.equal(shortcutFor({ key: 'l', target: /** @type {any} */ (body) }), 'leave');
  assert.equal(shortcutFor({ key: '?', target: /** @type {any} */ (body) }), 'help');
  assert.equal(shortcutFor({ key: 'x', target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'Enter', target: /** @type {any} */ (body) }), null);
});

test('shortcutFor: never while typing, with a modifier, on key repeat or with a dialog open', () => {
  const body = element('body');
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('textarea')) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('input')) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('input', { type: 'number' })) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('select')) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('div', { contenteditable: 'true' })) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('div', { role: 'textbox' })) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('button')) }), 'mic');
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (element('input', { type: 'checkbox' })) }), 'mic');
  assert.equal(shortcutFor({ key: 'm', ctrlKey: true, target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'm', metaKey: true, target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'm', altKey: true, target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'm', repeat: true, target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'm', defaultPrevented: true, target: /** @type {any} */ (body) }), null);
  assert.equal(shortcutFor({ key: 'm', target: /** @type {any} */ (body) }, { dialogOpen: true }), null);
  assert.equal(isTypingTarget(null), false);
});

test('installShortcuts: runs the action and keeps the key from the page; leaves unknown keys alone', async () => {
  /** @type {((event: any) => void) | null} */
  let listener = null;
  let dialogOpen = false;
  const doc = /** @type {any} */ ({
    addEventListener: (/** @type {string} */ type, /** @type {any} */ fn) => {
      if (type === 'keydown') listener = fn;
    },
    removeEventListener: () => {
      listener = null;
    },
    querySelector: () => (dialogOpen ? {} : null),
  });
  const ran = [];
  const remove = installShortcuts({ doc, actions: { mic: () => ran.push('mic'), leave: () => ran.push('leave') } });
  const press = (key) => {
    const event = { key, target: element('body'), prevented: false, preventDefault() { this.prevented = true; } };
    listener?.(event);
    return event.prevented;
  };
  assert.equal(press('m'), true);
  assert.equal(press('s'), false, 'no screen action given: the key is not taken');
  dialogOpen = true;
  assert.equal(press('l'), false);
  dialogOpen = false;
  assert.equal(press('l'), true);
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(ran, ['mic', 'leave']);
  remove();
  assert.equal(listener, null);
});

test('installLeaveGuard: asks before unloading only while in a call', () => {
  /** @type {((event: any) => void) | null} */
  let listener = null;
  const win = /** @type {any} */ ({ addEventListener: (_t, fn) => (listener = fn), removeEventListener: () => (listener = null) });
  let inCall = false;
  const remove = installLeaveGuard({ win, inCall: () => inCall });
  const unload = () => {
    const event = { prevented: false, returnValue: undefined, preventDefault() { this.prevented = true; } };
    listener?.(event);
    return event;
  };
  assert.equal(unload().prevented, false);
  inCall = true;
  const asked = unload();
  assert.equal(asked.prevented, true);
  assert.equal(asked.returnValue, '');
  remove();
  assert.equal(listener, null);
});
