// Raised hands and the owner mark on the tiles. The roster (call/roster.js) is the one truth:
// after every roster swap its data-hand and data-owner are copied onto the tiles (#tile-<id>,
// and #tile-self for our own id) with a small badge, and the raise-hand toggle shows what the
// roster says about our own hand, never what the last click wished for.

export const HAND_DESTINATION = '/app/hand';

/**
 * @typedef {import('./roster.js').Roster} Roster
 */

/**
 * 1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st.
 * @param {number} n
 */
export function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

/**
 * The participant a tile shows: #tile-self is ours, a remote one names its participant.
 * @param {HTMLElement} tile
 * @param {string | null} selfId
 * @returns {string | null}
 */
export function participantOf(tile, selfId) {
  if (tile.id === 'tile-self') return selfId;
  return tile.dataset.participant ?? (tile.id.startsWith('tile-') ? tile.id.slice(5) : null);
}

/**
 * Copies each roster entry's hand and owner marks onto its tile (and takes them off tiles the
 * roster does not mark), with the badges that show them.
 * @param {Document} doc
 * @param {Roster | null} roster
 * @param {string | null} selfId our participant id (null: not in a call, our tile is nobody's)
 */
export function markTiles(doc, roster, selfId) {
  for (const element of doc.querySelectorAll('#tiles .tile')) {
    const tile = /** @type {HTMLElement} */ (element);
    const id = participantOf(tile, selfId);
    const hand = id === null ? undefined : roster?.hands.get(id);
    const owner = id !== null && !!roster?.owners.has(id);
    if (hand) tile.dataset.hand = String(hand);
    else delete tile.dataset.hand;
    if (owner) tile.dataset.owner = 'true';
    else delete tile.dataset.owner;
    writeMarks(doc, tile, hand ?? null, owner);
  }
}

/**
 * The badges at the top left of a tile: "✋ 2" for the second raised hand, "Owner".
 * @param {Document} doc
 * @param {HTMLElement} tile
 * @param {number | null} hand
 * @param {boolean} owner
 */
function writeMarks(doc, tile, hand, owner) {
  let marks = tile.querySelector('.tile-marks');
  if (!marks) {
    if (!hand && !owner) return;
    marks = doc.createElement('span');
    marks.className = 'tile-marks';
    tile.append(marks);
  }
  marks.textContent = '';
  if (owner) {
    const badge = doc.createElement('span');
    badge.className = 'owner-mark';
    badge.textContent = 'Owner';
    marks.append(badge);
  }
  if (hand) {
    const badge = doc.createElement('span');
    badge.className = 'hand-mark';
    badge.title = `Raised hand, ${ordinal(hand)}`;
    badge.textContent = `✋ ${hand}`;
    marks.append(badge);
  }
}

/** The raise / lower hand toggle (#toggle-hand). */
export class HandToggle {
  #doc;
  #send;
  #raised = false;

  /**
   * @param {{doc: Document, send: (destination: string, body: unknown) => boolean}} options
   */
  constructor({ doc, send }) {
    this.#doc = doc;
    this.#send = send;
    this.#button()?.addEventListener('click', () => this.toggle());
    this.setAvailable(false);
  }

  /** Our hand is up, as the roster says. */
  get raised() {
    return this.#raised;
  }

  /**
   * Asks the server to raise or lower our hand; the roster that follows shows the result.
   * @returns {boolean} whether the request went out
   */
  toggle() {
    return this.#send(HAND_DESTINATION, { raised: !this.#raised });
  }

  /**
   * @param {Roster | null} roster
   * @param {string | null} selfId
   */
  apply(roster, selfId) {
    const hand = selfId === null ? undefined : roster?.hands.get(selfId);
    this.#raised = !!hand;
    const button = this.#button();
    if (!button) return;
    button.setAttribute('aria-pressed', String(this.#raised));
    if (!button.disabled) button.title = hand ? `Lower your hand (yours is ${ordinal(hand)} in line)` : 'Raise your hand';
  }

  /** @param {boolean} available only a participant of the call has a hand to raise */
  setAvailable(available) {
    const button = this.#button();
    if (!button) return;
    button.disabled = !available;
    button.title = available ? (this.#raised ? 'Lower your hand' : 'Raise your hand') : 'Join the call to raise your hand';
    if (!available) {
      this.#raised = false;
      button.setAttribute('aria-pressed', 'false');
    }
  }

  #button() {
    return /** @type {HTMLButtonElement | null} */ (this.#doc.getElementById('toggle-hand'));
  }
}
