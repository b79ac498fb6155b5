// The chat panel (call/chat.js) on the fake room page: sending, clearing, unread counting and
// what a history replace must not count again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAT_DESTINATION, Chat, MAX_CHAT_LENGTH, badgeText, seqOf } from '../src/call/chat.js';
import { FakeEvent } from '../test-support/fake-dom.js';
import { chatMessage, press, recorder, roomDocument, submit, swapChat } from '../test-support/room-dom.js';

/** A room page with the chat, in the call as participant "B" unless told otherwise. */
function chatPage({ inCall = true } = {}) {
  const doc = roomDocument();
  const wire = recorder();
  const self = { id: /** @type {string | null} */ ('B') };
  const chat = new Chat({ doc: /** @type {any} */ (doc), send: wire.send, selfId: () => self.id });
  chat.setAvailable(inCall);
  const byId = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  return { doc, chat, wire, self, byId, input: byId('chat-input'), badge: byId('chat-unread'), toggle: byId('toggle-chat'), log: byId('chat-log') };
}

test('the form sends {text} to /app/chat and clears the field once sent', () => {
  const { chat, wire, input, byId } = chatPage();
  input.value = 'hello, world';
  const event = submit(byId('chat-form'));
  assert.equal(event.defaultPrevented, true, 'no page load');
  assert.deepEqual(wire.sent, [{ destination: CHAT_DESTINATION, body: { text: 'hello, world' } }]);
  assert.equal(input.value, '');

  input.value = '   \n ';
  assert.equal(chat.sendMessage(), false, 'white space only is not a message');
  assert.equal(wire.sent.length, 1);
  assert.equal(input.value, '   \n ', 'left as it was');
});

test('Enter sends, Shift+Enter is a new line, Enter ending an IME composition is neither', () => {
  const { wire, input } = chatPage();
  input.value = 'line one';
  assert.equal(press(input, 'Enter', { shiftKey: true }).defaultPrevented, false, 'the browser adds the new line');
  assert.equal(press(input, 'Enter', { isComposing: true }).defaultPrevented, false);
  assert.equal(wire.sent.length, 0);
  assert.equal(press(input, 'Enter').defaultPrevented, true);
  assert.deepEqual(wire.sent.map((s) => s.body.text), ['line one']);
  press(input, 'a');
  assert.equal(wire.sent.length, 1);
});

test('while the connection is down the text stays and a notice says it was not sent', () => {
  const { chat, wire, input, byId } = chatPage();
  wire.state.connected = false;
  input.value = 'are you there?';
  assert.equal(chat.sendMessage(), false);
  assert.equal(input.value, 'are you there?');
  assert.match(byId('chat-notice').textContent, /not sent/);
  wire.state.connected = true;
  assert.equal(chat.sendMessage(), true);
  assert.equal(input.value, '');
  assert.equal(byId('chat-notice').textContent, '', 'our own notice goes once a message went out');
});

test('a server notice (too fast) is not cleared by the page; a message over the limit is not sent', () => {
  const { chat, wire, input, byId } = chatPage();
  byId('chat-notice').textContent = 'You are sending messages too fast; wait a few seconds.';
  input.value = 'again';
  chat.sendMessage();
  assert.equal(byId('chat-notice').textContent, 'You are sending messages too fast; wait a few seconds.');
  input.value = 'x'.repeat(MAX_CHAT_LENGTH + 1);
  assert.equal(chat.sendMessage(), false);
  assert.equal(wire.sent.length, 1);
  assert.match(byId('chat-notice').textContent, /at most 2000 characters/);
});

test('out of the call the form is disabled with a hint, and sends nothing', () => {
  const { chat, wire, input, byId } = chatPage({ inCall: false });
  assert.equal(input.disabled, true);
  assert.equal(byId('chat-send').disabled, true);
  assert.equal(byId('chat-hint').hidden, false);
  input.value = 'hello';
  assert.equal(chat.sendMessage(), false);
  assert.equal(wire.sent.length, 0);
  chat.setAvailable(true);
  assert.equal(input.disabled, false);
  assert.equal(byId('chat-hint').hidden, true);
});

test('unread: messages from others that arrive while the panel is closed; opening clears the badge', () => {
  const { doc, chat, badge, toggle } = chatPage();
  assert.equal(chat.open, false);
  assert.equal(badge.hidden, true);
  swapChat(doc, 'beforeend', [chatMessage(doc, 1, 'A', 'hi')]);
  chat.update();
  swapChat(doc, 'beforeend', [chatMessage(doc, 2, 'B', 'my own'), chatMessage(doc, 3, 'C', 'hey')]);
  chat.update();
  assert.equal(chat.unread, 2, 'our own message is never unread');
  assert.equal(doc.getElementById('chat-2')?.getAttribute('data-own'), 'true');
  assert.equal(doc.getElementById('chat-3')?.getAttribute('data-own'), null);
  assert.equal(badge.hidden, false);
  assert.equal(badge.textContent, '2');
  assert.equal(badge.dataset.count, '2');
  assert.equal(toggle.getAttribute('aria-label'), 'Chat, 2 unread');
  chat.update(); // nothing new
  assert.equal(chat.unread, 2);

  toggle.click();
  assert.equal(chat.open, true);
  assert.equal(doc.body.dataset.chat, 'open');
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(chat.unread, 0);
  assert.equal(badge.hidden, true);
  assert.equal(toggle.getAttribute('aria-label'), null);
  assert.equal(doc.activeElement, doc.getElementById('chat-input'), 'ready to type');

  swapChat(doc, 'beforeend', [chatMessage(doc, 4, 'A', 'seen at once')]);
  chat.update();
  assert.equal(chat.unread, 0, 'the panel is open: read');
  toggle.click();
  assert.equal(doc.body.dataset.chat, 'closed');
});

test('a history replace (after a join or resume) does not count what was seen already', () => {
  const { doc, chat } = chatPage();
  swapChat(doc, 'beforeend', [chatMessage(doc, 10, 'A', 'one'), chatMessage(doc, 11, 'A', 'two')]);
  chat.update();
  assert.equal(chat.unread, 2);
  chat.setOpen(true);
  chat.setOpen(false);
  swapChat(doc, 'innerHTML', [chatMessage(doc, 10, 'A', 'one'), chatMessage(doc, 11, 'A', 'two')]);
  chat.update();
  assert.equal(chat.unread, 0, 'the same messages, re-rendered');
  swapChat(doc, 'innerHTML', [chatMessage(doc, 10, 'A', 'one'), chatMessage(doc, 11, 'A', 'two'), chatMessage(doc, 12, 'C', 'missed while away')]);
  chat.update();
  assert.equal(chat.unread, 1, 'only the one that is new');
});

test('the log is in data-seq order, once each: a message from another instance may overtake an earlier one', () => {
  const { doc, chat, log } = chatPage();
  const order = () => log.children.map((/** @type {any} */ m) => m.getAttribute('data-seq')).join(',');
  swapChat(doc, 'beforeend', [chatMessage(doc, 10, 'A', 'first')]);
  swapChat(doc, 'beforeend', [chatMessage(doc, 12, 'C', 'third, came second')]);
  chat.update();
  swapChat(doc, 'beforeend', [chatMessage(doc, 11, 'A', 'second, came third')]);
  chat.update();
  assert.equal(order(), '10,11,12');
  assert.equal(chat.unread, 3, 'each counted once');

  swapChat(doc, 'innerHTML', [chatMessage(doc, 10, 'A', 'first'), chatMessage(doc, 11, 'A', 'second')]);
  swapChat(doc, 'beforeend', [chatMessage(doc, 11, 'A', 'second, again after the history')]);
  swapChat(doc, 'beforeend', [chatMessage(doc, 9, 'C', 'older than all')]);
  chat.update();
  assert.equal(order(), '9,10,11');
  assert.equal(log.children[2].querySelector('.text').textContent, 'second', 'the first copy stays');
});

test('messages the page held when it loaded count as seen', () => {
  const doc = roomDocument();
  const log = /** @type {any} */ (doc.getElementById('chat-log'));
  log.append(chatMessage(doc, 5, 'A', 'old'));
  const chat = new Chat({ doc: /** @type {any} */ (doc), send: () => true, selfId: () => null });
  chat.update();
  assert.equal(chat.unread, 0);
});

test('the newest message scrolls into view, unless the user scrolled up to read', () => {
  const { doc, chat, log } = chatPage();
  chat.setOpen(true);
  Object.assign(log, { clientHeight: 100, scrollHeight: 500, scrollTop: 400 });
  log.dispatchEvent(new FakeEvent('scroll'));
  swapChat(doc, 'beforeend', [chatMessage(doc, 1, 'A', 'new')]);
  log.scrollHeight = 560;
  chat.update();
  assert.equal(log.scrollTop, 560, 'at the bottom: follows');

  log.scrollTop = 100; // the user scrolls up
  log.dispatchEvent(new FakeEvent('scroll'));
  swapChat(doc, 'beforeend', [chatMessage(doc, 2, 'A', 'newer')]);
  log.scrollHeight = 620;
  chat.update();
  assert.equal(log.scrollTop, 100, 'reading older ones: stays');

  swapChat(doc, 'beforeend', [chatMessage(doc, 3, 'B', 'mine')]);
  log.scrollHeight = 680;
  chat.update();
  assert.equal(log.scrollTop, 680, 'our own message always shows');
});

test('seqOf and the badge text', () => {
  const doc = roomDocument();
  assert.equal(seqOf(/** @type {any} */ (chatMessage(doc, 42, 'A', 'x'))), 42);
  const odd = chatMessage(doc, 1, 'A', 'x');
  odd.setAttribute('data-seq', 'x');
  assert.equal(seqOf(/** @type {any} */ (odd)), null);
  assert.equal(badgeText(7), '7');
  assert.equal(badgeText(100), '99+');
});

test('a reload keeps what this tab read: the history after the resume is not unread again', () => {
  /** @type {number[]} */
  const saved = [];
  const readMark = { load: () => saved.at(-1) ?? 0, save: (/** @type {number} */ seq) => void saved.push(seq) };
  const first = roomDocument();
  const before = new Chat({ doc: /** @type {any} */ (first), send: () => true, selfId: () => 'B', readMark });
  swapChat(first, 'beforeend', [chatMessage(first, 7, 'A', 'read'), chatMessage(first, 8, 'A', 'read too')]);
  before.setOpen(true);
  swapChat(first, 'beforeend', [chatMessage(first, 9, 'A', 'read while open')]);
  before.update();
  assert.deepEqual(saved, [8, 9]);

  const reloaded = roomDocument();
  const after = new Chat({ doc: /** @type {any} */ (reloaded), send: () => true, selfId: () => 'B', readMark });
  swapChat(reloaded, 'innerHTML', [7, 8, 9, 10].map((seq) => chatMessage(reloaded, seq, 'A', `message ${seq}`)));
  after.update();
  assert.equal(after.unread, 1, 'only the one written during the reload');
});

test('opened out of the call, the focus goes to the panel\'s close button (on a phone the panel covers the page)', () => {
  const { doc, toggle } = chatPage({ inCall: false });
  toggle.click();
  assert.equal(doc.activeElement, doc.getElementById('close-chat'));
  /** @type {any} */ (doc.getElementById('close-chat')).click();
  assert.equal(doc.body.dataset.chat, 'closed');
  assert.equal(doc.activeElement, toggle, 'back where it was');
});
