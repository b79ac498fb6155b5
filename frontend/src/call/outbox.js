// Signals the mesh could not send while signaling was down (or not yet resumed), kept in order
// and sent after "resumed". Bounded: a long outage drops the oldest; the peers recover from lost
// signals by re-sending their unanswered offer (Peer#signalingRestored). No DOM.

/**
 * @template P the peer a signal belongs to: an entry of a peer replaced meanwhile is dropped
 * @typedef {{to: string, peer: P, body: object}} OutboxEntry
 */

/** An ICE gathering is a handful of candidates; a few renegotiations fit many times over. */
export const OUTBOX_LIMIT = 200;

/** @template P */
export class Outbox {
  /** @type {OutboxEntry<P>[]} */
  #entries = [];
  #limit;

  /** @param {number} [limit] */
  constructor(limit = OUTBOX_LIMIT) {
    this.#limit = limit;
  }

  get size() {
    return this.#entries.length;
  }

  /**
   * @param {string} to participant id
   * @param {P} peer
   * @param {object} body the SEND body ({to, description} or {to, candidate})
   */
  add(to, peer, body) {
    this.#entries.push({ to, peer, body });
    if (this.#entries.length > this.#limit) this.#entries.shift();
  }

  /**
   * Takes every entry whose peer is still the current one for its participant.
   * @param {(to: string) => P | undefined} current
   * @returns {OutboxEntry<P>[]}
   */
  take(current) {
    const entries = this.#entries;
    this.#entries = [];
    return entries.filter((entry) => current(entry.to) === entry.peer);
  }

  clear() {
    this.#entries = [];
  }
}
