// The parts of the room page (app/src/main/resources/templates/room.html) that the chat, hand,
// reaction and owner modules use, built on the fake DOM; plus the server's fragments as the
// page ends up holding them after htmx swapped them in (docs/protocol.md, issue 9).

import { FakeDocument, FakeElement, FakeEvent } from './fake-dom.js';

/**
 * @param {FakeDocument} doc
 * @param {string} tag
 * @param {Record<string, string>} [attributes] id, class and any other (data-*, aria-*...)
 * @param {...(FakeElement | string)} children
 */
export function el(doc, tag, attributes = {}, ...children) {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'id') element.id = value;
    else if (name === 'class') element.className = value;
    else if (name === 'hidden') /** @type {any} */ (element).hidden = true;
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (typeof child === 'string') element.ownText += child;
    else element.append(child);
  }
  return element;
}

/** The room page: tiles (ours only), roster, control bar with its menus, chat panel, knocks. */
export function roomDocument() {
  const doc = new FakeDocument();
  const e = (/** @type {string} */ tag, /** @type {Record<string, string>} */ attributes = {}, /** @type {(FakeElement | string)[]} */ ...children) =>
    el(doc, tag, attributes, ...children);
  const reactionButtons = ['thumbs-up', 'heart', 'laugh', 'tada', 'clap', 'wow'].map((key) =>
    e('button', { type: 'button', class: 'button', 'data-reaction': key }),
  );
  doc.body.append(
    e('p', { id: 'call-status' }),
    e('section', { id: 'roster', class: 'roster', 'data-version': '1' }, e('ul', { class: 'roster-list' })),
    e('div', { id: 'tiles', class: 'tiles' }, e('figure', { id: 'tile-self', class: 'tile self' }, e('video'), e('figcaption', {}, e('span', { class: 'name' }, 'You (bob)')))),
    e('section', { id: 'knocks', class: 'knocks', hidden: '' }),
    e('aside', { id: 'chat-panel', class: 'chat-panel', hidden: '' },
      e('button', { id: 'close-chat', type: 'button' }),
      e('div', { id: 'chat-log', class: 'chat-log', role: 'log' }),
      e('p', { id: 'chat-notice', class: 'chat-notice', role: 'status' }),
      e('form', { id: 'chat-form' },
        e('textarea', { id: 'chat-input', maxlength: '2000' }),
        e('button', { id: 'chat-send', type: 'submit' }),
        e('p', { id: 'chat-hint', class: 'hint' }, 'Join the call to chat.'))),
    e('div', { class: 'controls' },
      e('button', { id: 'toggle-hand', type: 'button', 'aria-pressed': 'false' }),
      e('div', { class: 'menu-anchor' },
        e('button', { id: 'toggle-reactions', type: 'button' }),
        e('div', { id: 'reaction-menu', hidden: '' }, ...reactionButtons)),
      e('button', { id: 'toggle-chat', type: 'button' }, e('span', { class: 'label' }, 'Chat'), e('span', { id: 'chat-unread', hidden: '' })),
      e('div', { id: 'owner-controls', class: 'menu-anchor', hidden: '' },
        e('button', { id: 'toggle-room-menu', type: 'button' }),
        e('div', { id: 'room-menu', hidden: '' },
          e('button', { id: 'toggle-lock', type: 'button', 'aria-pressed': 'false' }),
          e('button', { id: 'toggle-waiting-room', type: 'button', 'aria-pressed': 'false' }),
          e('form', { id: 'capacity-form' }, e('input', { id: 'room-capacity', type: 'number' }), e('p', { id: 'capacity-hint' }))))),
  );
  return doc;
}

/**
 * Swaps a new roster in, as htmx does with the server's outerHTML fragment.
 * @param {FakeDocument} doc
 * @param {{version?: number, locked?: boolean, waitingRoom?: boolean, capacity?: number}} room
 * @param {{id: string, name: string, owner?: boolean, hand?: number, away?: boolean}[]} people
 */
export function swapRoster(doc, { version = 2, locked = false, waitingRoom = false, capacity = 8 }, people) {
  const items = people.map(({ id, name, owner, hand, away }) => {
    /** @type {Record<string, string>} */
    const attributes = { 'data-participant': id };
    if (owner) attributes['data-owner'] = 'true';
    if (hand) attributes['data-hand'] = String(hand);
    if (away) attributes['data-away'] = 'true';
    return el(doc, 'li', attributes, el(doc, 'span', { class: 'name' }, name));
  });
  const roster = el(
    doc,
    'section',
    { id: 'roster', class: 'roster', 'data-version': String(version), 'data-locked': String(locked), 'data-waiting-room': String(waitingRoom), 'data-capacity': String(capacity) },
    el(doc, 'ul', { class: 'roster-list' }, ...items),
  );
  const old = doc.getElementById('roster');
  if (old) {
    old.after(roster);
    old.remove();
  } else doc.body.append(roster);
  return roster;
}

/**
 * A remote tile, as the server renders it into #tiles.
 * @param {FakeDocument} doc
 * @param {string} id
 * @param {string} name
 */
export function addTile(doc, id, name) {
  const tile = el(doc, 'figure', { id: `tile-${id}`, class: 'tile remote', 'data-participant': id, 'data-version': '1' },
    el(doc, 'video'), el(doc, 'figcaption', {}, el(doc, 'span', { class: 'name' }, name)));
  doc.getElementById('tiles')?.append(tile);
  return tile;
}

/**
 * A chat message as the server renders it.
 * @param {FakeDocument} doc
 * @param {number} seq
 * @param {string} from participant id
 * @param {string} text
 */
export function chatMessage(doc, seq, from, text) {
  return el(doc, 'article', { class: 'chat-message', id: `chat-${seq}`, 'data-seq': String(seq), 'data-from': from },
    el(doc, 'header', {}, el(doc, 'span', { class: 'name' }, from)), el(doc, 'p', { class: 'text' }, text));
}

/**
 * What htmx does with `<div id="chat-log" hx-swap-oob="beforeend">` (append) or "innerHTML" (replace).
 * @param {FakeDocument} doc
 * @param {'beforeend' | 'innerHTML'} swap
 * @param {FakeElement[]} messages
 */
export function swapChat(doc, swap, messages) {
  const log = /** @type {FakeElement} */ (doc.getElementById('chat-log'));
  if (swap === 'innerHTML') log.textContent = '';
  log.append(...messages);
}

/**
 * A key press on an element.
 * @param {FakeElement} element
 * @param {string} key
 * @param {Record<string, unknown>} [fields] shiftKey, isComposing...
 */
export function press(element, key, fields = {}) {
  const event = new FakeEvent('keydown', { key, ...fields });
  element.dispatchEvent(event);
  return event;
}

/** @param {FakeElement} form */
export function submit(form) {
  const event = new FakeEvent('submit');
  form.dispatchEvent(event);
  return event;
}

/** What a page SENDs, recorded; `connected` false makes every SEND fail. */
export function recorder() {
  /** @type {{destination: string, body: any}[]} */
  const sent = [];
  const state = { connected: true };
  /** @param {string} destination @param {unknown} body */
  const send = (destination, body) => {
    if (!state.connected) return false;
    sent.push({ destination, body: JSON.parse(JSON.stringify(body)) });
    return true;
  };
  return { sent, send, state };
}
