import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disclosure } from '../src/call/disclosure.js';
import { press } from '../test-support/room-dom.js';
import { FakeDocument } from '../test-support/fake-dom.js';

function setup(options = {}) {
  const doc = new FakeDocument();
  const button = doc.createElement('button');
  const panel = doc.createElement('div');
  const inside = doc.createElement('button');
  const elsewhere = doc.createElement('p');
  panel.append(inside);
  /** @type {any} */ (panel).hidden = true;
  doc.body.append(button, panel, elsewhere);
  /** @type {[boolean, boolean][]} */
  const changes = [];
  const disclosure = new Disclosure(/** @type {any} */ (doc), /** @type {any} */ (button), /** @type {any} */ (panel), {
    ...options,
    onChange: (open, byUser) => changes.push([open, byUser]),
  });
  return { doc, button, panel, inside, elsewhere, disclosure, changes };
}

test('the button toggles the panel and says so with aria-expanded', () => {
  const { button, panel, disclosure, changes } = setup();
  assert.equal(button.getAttribute('aria-expanded'), 'false');
  button.click();
  assert.equal(/** @type {any} */ (panel).hidden, false);
  assert.equal(button.getAttribute('aria-expanded'), 'true');
  assert.equal(disclosure.open, true);
  button.click();
  assert.equal(disclosure.open, false);
  disclosure.show();
  assert.deepEqual(changes, [[true, true], [false, true], [true, false]]);
});

test('Escape closes it and gives the focus back; a popover closes on a click elsewhere, not inside', () => {
  const { doc, button, inside, elsewhere, disclosure } = setup();
  button.click();
  inside.click();
  assert.equal(disclosure.open, true);
  elsewhere.click();
  assert.equal(disclosure.open, false);
  button.click();
  press(inside, 'Escape');
  assert.equal(disclosure.open, false);
  assert.equal(doc.activeElement, button);
  button.click();
  press(button, 'Escape'); // opened from the keyboard: the focus is still on the button
  assert.equal(disclosure.open, false);
});

test('a panel (closeOnOutsideClick false) stays open on a click elsewhere', () => {
  const { button, elsewhere, disclosure } = setup({ closeOnOutsideClick: false });
  button.click();
  elsewhere.click();
  assert.equal(disclosure.open, true);
});
