// What the room's owner can do, shown only while the roster marks our own entry data-owner="true"
// (ownership belongs to a user, so it may come and go mid-call: a hand-over, the owner leaving):
// the room menu (lock, waiting room, capacity), actions on each remote tile (ask to mute, lower
// hand, remove after a confirmation, make owner) and the buttons of the knock list (#knocks,
// rendered by the server: let in / refuse). Everything goes out as STOMP SENDs; the server
// checks ownership again and answers with a new roster, which is what the controls then show.
//
// Tile actions and knock buttons are handled by delegation on the document: both are re-rendered
// by the server at any time.

import { Disclosure } from './disclosure.js';
import { participantOf } from './hands.js';

export const OWNER_DESTINATIONS = Object.freeze({
  lock: '/app/owner/lock',
  waitingRoom: '/app/owner/waiting-room',
  capacity: '/app/owner/capacity',
  admit: '/app/owner/admit',
  refuse: '/app/owner/refuse',
  remove: '/app/owner/remove',
  mute: '/app/owner/mute',
  lowerHand: '/app/owner/lower-hand',
  handOver: '/app/owner/hand-over',
});

export const MIN_CAPACITY = 2;
export const MAX_CAPACITY = 8;

/** What the server can and cannot do about someone's microphone, said where the button is. */
export const MUTE_HINT = "Asks their page to turn off its microphone. They can turn it back on; nobody can silence a microphone from afar.";

/**
 * @typedef {import('./roster.js').Roster} Roster
 * @typedef {import('./roster.js').RoomState} RoomState
 * @typedef {'mute' | 'lower-hand' | 'remove' | 'remove-confirmed' | 'cancel' | 'hand-over'} TileAction
 */

/** @type {Readonly<Record<string, string>>} tile action → destination */
const TILE_DESTINATIONS = Object.freeze({
  mute: OWNER_DESTINATIONS.mute,
  'lower-hand': OWNER_DESTINATIONS.lowerHand,
  'remove-confirmed': OWNER_DESTINATIONS.remove,
  'hand-over': OWNER_DESTINATIONS.handOver,
});

export class OwnerControls {
  #doc;
  #send;
  #owner = false;
  /** @type {RoomState} */
  #room = { locked: false, waitingRoom: false, capacity: null };
  /** @type {Disclosure | null} */
  #roomMenu = null;

  /**
   * @param {{doc: Document, send: (destination: string, body: unknown) => boolean}} options
   */
  constructor({ doc, send }) {
    this.#doc = doc;
    this.#send = send;
    const toggle = this.#byId('toggle-room-menu');
    const menu = this.#byId('room-menu');
    if (toggle && menu) this.#roomMenu = new Disclosure(doc, toggle, menu);
    this.#byId('toggle-lock')?.addEventListener('click', () => this.setLocked(!this.#room.locked));
    this.#byId('toggle-waiting-room')?.addEventListener('click', () => this.setWaitingRoom(!this.#room.waitingRoom));
    this.#byId('capacity-form')?.addEventListener('submit', (/** @type {Event} */ event) => {
      event.preventDefault();
      const input = /** @type {HTMLInputElement | null} */ (this.#byId('room-capacity'));
      if (input) this.setCapacity(input.value);
    });
    doc.addEventListener('click', (/** @type {Event} */ event) => this.#clicked(/** @type {Element | null} */ (event.target)));
    doc.addEventListener('keydown', (/** @type {KeyboardEvent} */ event) => {
      if (event.key !== 'Escape') return;
      const menu = /** @type {Element | null} */ (event.target)?.closest?.('.tile-actions');
      if (menu) this.#closeTileMenus({ focus: menu });
    });
    this.#show();
  }

  /** Our own roster entry says we own the room. */
  get isOwner() {
    return this.#owner;
  }

  /**
   * Follows the roster: who owns the room, its state, whose hand is up.
   * @param {Roster | null} roster
   * @param {string | null} selfId
   */
  apply(roster, selfId) {
    this.#owner = selfId !== null && !!roster?.owners.has(selfId);
    if (roster) this.#room = { ...roster.room };
    this.#show();
  }

  /** @param {boolean} locked */
  setLocked(locked) {
    return this.#owner && this.#send(OWNER_DESTINATIONS.lock, { locked });
  }

  /** @param {boolean} on turning it off lets everyone waiting in */
  setWaitingRoom(on) {
    return this.#owner && this.#send(OWNER_DESTINATIONS.waitingRoom, { on });
  }

  /**
   * @param {string | number} value from the capacity field
   * @returns {boolean} whether it was sound and went out
   */
  setCapacity(value) {
    const capacity = typeof value === 'number' ? value : Number(String(value).trim() || NaN);
    const input = this.#byId('room-capacity');
    const sound = Number.isInteger(capacity) && capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY;
    if (input) {
      if (sound) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
    }
    const hint = this.#byId('capacity-hint');
    if (hint) hint.textContent = sound ? '' : `Between ${MIN_CAPACITY} and ${MAX_CAPACITY} people.`;
    return sound && this.#owner && this.#send(OWNER_DESTINATIONS.capacity, { capacity });
  }

  /**
   * An owner action on a remote tile's participant.
   * @param {string} action a TileAction that sends (mute, lower-hand, remove-confirmed, hand-over)
   * @param {string} id participant id
   */
  act(action, id) {
    const destination = TILE_DESTINATIONS[action];
    return !!destination && this.#owner && this.#send(destination, { id });
  }

  /** Shows or hides everything for the current state. */
  #show() {
    const owner = this.#owner;
    const body = this.#doc.body;
    if (owner) body.dataset.owner = 'true';
    else delete body.dataset.owner;
    const controls = this.#byId('owner-controls');
    if (controls) controls.hidden = !owner;
    if (!owner) this.#roomMenu?.hide();
    this.#byId('toggle-lock')?.setAttribute('aria-pressed', String(this.#room.locked));
    this.#byId('toggle-waiting-room')?.setAttribute('aria-pressed', String(this.#room.waitingRoom));
    const input = /** @type {HTMLInputElement | null} */ (this.#byId('room-capacity'));
    // Not while the owner is typing a new one.
    if (input && this.#room.capacity !== null && this.#doc.activeElement !== input) input.value = String(this.#room.capacity);
    for (const element of this.#doc.querySelectorAll('#tiles .tile.remote')) {
      const tile = /** @type {HTMLElement} */ (element);
      const actions = tile.querySelector('.tile-actions');
      if (!owner) actions?.remove();
      else this.#updateTileActions(tile, actions ?? this.#buildTileActions(tile));
    }
  }

  /** @param {Element | null} target */
  #clicked(target) {
    if (!target?.closest) return;
    const knock = /** @type {HTMLButtonElement | null} */ (target.closest('[data-admit], [data-refuse]'));
    if (knock && knock.closest('#knocks')) return this.#answerKnock(knock);
    const toggle = target.closest('.tile-actions-toggle');
    if (toggle) return this.#toggleTileMenu(/** @type {HTMLElement} */ (toggle));
    const button = /** @type {HTMLElement | null} */ (target.closest('[data-tile-action]'));
    const tile = /** @type {HTMLElement | null} */ (button?.closest('.tile') ?? null);
    if (!button || !tile) {
      // A click elsewhere closes an open tile menu; one on its text (not a button) does not.
      if (!target.closest('.tile-actions-menu')) this.#closeTileMenus();
      return;
    }
    const id = participantOf(tile, null);
    const action = button.dataset.tileAction ?? '';
    const menu = tile.querySelector('.tile-actions-menu');
    if (action === 'remove' || action === 'cancel') {
      // Removing someone is the one action that asks first.
      if (menu) this.#confirming(menu, action === 'remove');
      return;
    }
    if (id) this.act(action, id);
    this.#closeTileMenus({ focus: tile.querySelector('.tile-actions') });
  }

  /** @param {HTMLButtonElement} button */
  #answerKnock(button) {
    const admit = button.hasAttribute('data-admit');
    const knock = button.getAttribute(admit ? 'data-admit' : 'data-refuse');
    if (!knock || !this.#owner) return;
    if (!this.#send(admit ? OWNER_DESTINATIONS.admit : OWNER_DESTINATIONS.refuse, { knock })) return;
    // One answer per knock: the server's new list follows.
    const item = button.closest('[data-knock]') ?? button.parentElement;
    for (const other of item?.querySelectorAll('button') ?? []) /** @type {HTMLButtonElement} */ (other).disabled = true;
  }

  /** @param {HTMLElement} toggle */
  #toggleTileMenu(toggle) {
    const menu = /** @type {HTMLElement | null} */ (toggle.closest('.tile-actions')?.querySelector('.tile-actions-menu') ?? null);
    if (!menu) return;
    const open = menu.hidden;
    this.#closeTileMenus();
    if (!open) return;
    menu.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    this.#confirming(menu, false);
  }

  /** @param {{focus?: Element | null}} [options] the tile-actions whose toggle gets the focus back */
  #closeTileMenus({ focus = null } = {}) {
    for (const element of this.#doc.querySelectorAll('.tile-actions-menu')) {
      const menu = /** @type {HTMLElement} */ (element);
      if (menu.hidden) continue;
      menu.hidden = true;
      menu.closest('.tile-actions')?.querySelector('.tile-actions-toggle')?.setAttribute('aria-expanded', 'false');
    }
    /** @type {HTMLElement | null | undefined} */ (focus?.querySelector('.tile-actions-toggle'))?.focus();
  }

  /**
   * @param {Element} menu
   * @param {boolean} confirming show the "really remove?" step instead of the actions
   */
  #confirming(menu, confirming) {
    const choices = /** @type {HTMLElement | null} */ (menu.querySelector('.choices'));
    const confirm = /** @type {HTMLElement | null} */ (menu.querySelector('.confirm'));
    if (choices) choices.hidden = confirming;
    if (confirm) confirm.hidden = !confirming;
    const focus = confirming ? confirm?.querySelector('[data-tile-action="remove-confirmed"]') : null;
    /** @type {HTMLElement | null | undefined} */ (focus)?.focus();
  }

  /**
   * Only what applies: "Lower hand" while the hand is up, "Make owner" for a non-owner.
   * @param {HTMLElement} tile
   * @param {Element} actions
   */
  #updateTileActions(tile, actions) {
    const lower = /** @type {HTMLElement | null} */ (actions.querySelector('[data-tile-action="lower-hand"]'));
    const handOver = /** @type {HTMLElement | null} */ (actions.querySelector('[data-tile-action="hand-over"]'));
    if (lower) lower.hidden = !tile.dataset.hand;
    if (handOver) handOver.hidden = tile.dataset.owner === 'true';
  }

  /**
   * The owner's menu on a remote tile: a toggle and, hidden until asked for, the actions.
   * @param {HTMLElement} tile
   */
  #buildTileActions(tile) {
    const id = participantOf(tile, null) ?? '';
    const name = tile.querySelector('.name')?.textContent?.trim() || 'this participant';
    const actions = this.#element('div', 'tile-actions');
    const toggle = this.#button('tile-actions-toggle', '⋯');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', `tile-actions-${id}`);
    toggle.setAttribute('aria-label', `Owner actions for ${name}`);
    toggle.title = `Owner actions for ${name}`;
    const menu = this.#element('div', 'tile-actions-menu');
    menu.id = `tile-actions-${id}`;
    menu.setAttribute('role', 'group');
    menu.setAttribute('aria-label', `Owner actions for ${name}`);
    menu.hidden = true;

    const choices = this.#element('div', 'choices');
    const mute = this.#button('button subtle', 'Ask to mute', 'mute');
    mute.title = MUTE_HINT;
    const muteHint = this.#element('p', 'hint');
    muteHint.textContent = MUTE_HINT;
    choices.append(
      mute,
      muteHint,
      this.#button('button subtle', 'Lower hand', 'lower-hand'),
      this.#button('button subtle', 'Make owner', 'hand-over'),
      this.#button('button subtle danger-text', 'Remove…', 'remove'),
    );
    const confirm = this.#element('div', 'confirm');
    confirm.hidden = true;
    const question = this.#element('p', 'question');
    question.textContent = `Remove ${name} from the call? They can join again after a few minutes.`;
    confirm.append(question, this.#button('button danger', `Remove ${name}`, 'remove-confirmed'), this.#button('button', 'Cancel', 'cancel'));
    menu.append(choices, confirm);
    actions.append(toggle, menu);
    tile.append(actions);
    return actions;
  }

  /**
   * @param {string} className
   * @param {string} text
   * @param {TileAction} [action]
   */
  #button(className, text, action) {
    const button = /** @type {HTMLButtonElement} */ (this.#element('button', className));
    button.type = 'button';
    button.textContent = text;
    if (action) button.dataset.tileAction = action;
    return button;
  }

  /** @param {string} tag @param {string} className */
  #element(tag, className) {
    const element = this.#doc.createElement(tag);
    element.className = className;
    return element;
  }

  /** @param {string} id */
  #byId(id) {
    return this.#doc.getElementById(id);
  }
}
