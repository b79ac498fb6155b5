// Reactions: a small menu of six (#toggle-reactions, #reaction-menu with [data-reaction] buttons)
// SENDs /app/reaction with a key; the server tells everyone in the call, the sender included,
// with the rtc event "reaction" {from, emoji}. The key, never a character from the wire, picks
// what floats over the sender's tile for a few seconds; an unknown key shows nothing.
// The CSS animates it (and keeps it still under prefers-reduced-motion); a timer removes it.

import { Disclosure } from './disclosure.js';

export const REACTION_DESTINATION = '/app/reaction';
/** How long a reaction stays over a tile. */
export const REACTION_SHOWN_MS = 3000;
/** More at once on one tile would only hide the picture. */
export const MAX_REACTIONS_PER_TILE = 6;
/** Horizontal lanes (CSS classes lane-0..), so that quick reactions do not pile up on one spot. */
const LANES = 4;

/** @type {Readonly<Record<string, {emoji: string, label: string}>>} the keys the server accepts */
export const REACTIONS = Object.freeze({
  'thumbs-up': { emoji: '👍', label: 'Thumbs up' },
  heart: { emoji: '❤️', label: 'Heart' },
  laugh: { emoji: '😂', label: 'Laugh' },
  tada: { emoji: '🎉', label: 'Celebrate' },
  clap: { emoji: '👏', label: 'Applause' },
  wow: { emoji: '😮', label: 'Wow' },
});

/**
 * @param {unknown} key
 * @returns {{emoji: string, label: string} | null} null for anything the server does not send
 */
export function reactionFor(key) {
  return typeof key === 'string' && Object.hasOwn(REACTIONS, key) ? REACTIONS[key] : null;
}

/**
 * @typedef {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (handle: any) => void}} Timers
 *
 * @typedef {object} ReactionsOptions
 * @property {Document} doc
 * @property {{add: (app: string, event: string, fn: (message: {type: string, [key: string]: unknown}) => void) => () => void}} multiplexer
 * @property {(destination: string, body: unknown) => boolean} send
 * @property {() => string | null} selfId a reaction from us floats over #tile-self
 * @property {Timers} [timers] injectable for tests
 */

export class Reactions {
  #doc;
  #send;
  #selfId;
  #timers;
  /** @type {Disclosure | null} */
  #menu = null;
  #lane = 0;
  /** @type {() => void} */
  #unregister;

  /** @param {ReactionsOptions} options */
  constructor({ doc, multiplexer, send, selfId, timers }) {
    this.#doc = doc;
    this.#send = send;
    this.#selfId = selfId;
    this.#timers = timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle) };
    const toggle = doc.getElementById('toggle-reactions');
    const menu = doc.getElementById('reaction-menu');
    if (toggle && menu) {
      this.#menu = new Disclosure(doc, toggle, menu);
      menu.addEventListener('click', (/** @type {Event} */ event) => {
        const choice = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest?.('[data-reaction]') ?? null);
        if (!choice) return;
        this.react(choice.dataset.reaction ?? '');
        this.#menu?.hide({ byUser: true, focusButton: true });
      });
    }
    this.#unregister = multiplexer.add('rtc', 'reaction', ({ from, emoji }) => {
      this.show(typeof from === 'string' ? from : '', emoji);
    });
    this.setAvailable(false);
  }

  /**
   * SENDs one reaction.
   * @param {string} key
   * @returns {boolean} whether it went out
   */
  react(key) {
    if (!reactionFor(key)) return false;
    return this.#send(REACTION_DESTINATION, { emoji: key });
  }

  /**
   * Floats a reaction over the sender's tile, for REACTION_SHOWN_MS.
   * @param {string} from participant id
   * @param {unknown} key
   * @returns {HTMLElement | null} what was shown (null: an unknown key, or no such tile)
   */
  show(from, key) {
    const reaction = reactionFor(key);
    if (!reaction || !from) return null;
    const doc = this.#doc;
    const tile = from === this.#selfId() ? doc.getElementById('tile-self') : doc.getElementById(`tile-${from}`);
    if (!tile) return null;
    const shown = tile.querySelectorAll('.reaction');
    if (shown.length >= MAX_REACTIONS_PER_TILE) shown[0].remove();
    const float = doc.createElement('span');
    float.className = `reaction lane-${this.#lane++ % LANES}`;
    float.dataset.reaction = /** @type {string} */ (key);
    float.setAttribute('role', 'img');
    float.setAttribute('aria-label', reaction.label);
    float.textContent = reaction.emoji;
    tile.append(float);
    this.#timers.setTimeout(() => float.remove(), REACTION_SHOWN_MS);
    return float;
  }

  /** @param {boolean} available only a participant of the call can react */
  setAvailable(available) {
    const toggle = /** @type {HTMLButtonElement | null} */ (this.#doc.getElementById('toggle-reactions'));
    if (toggle) {
      toggle.disabled = !available;
      toggle.title = available ? 'Send a reaction' : 'Join the call to send reactions';
    }
    if (!available) this.#menu?.hide();
  }

  dispose() {
    this.#unregister();
  }
}
