// Who is speaking: the tile whose audio energy (from the stats poller, one figure per poll)
// is above SPEAKING_ENERGY gets data-speaking="true", and onSpeaker hears of every change.
//
// A highlight that jumps at every cough is worse than none, so:
//   - the speaker keeps it through pauses up to HOLD_MS (about one quiet poll);
//   - someone else takes it over only after being loud for SWITCH_DELAY_MS (two polls in a
//     row), and over a speaker still talking only when SWITCH_MARGIN times louder; once the
//     speaker's hold has run out, the loudest of the others wins at once;
//   - a participant with the microphone off is never a candidate, whatever the figures say: we
//     read our own switch (localAudioEnabled) and the other side's features message ({mic:false}).
//     A disabled track sends silence anyway; this also covers a stale figure from the second
//     before the switch.
// The mean square level over a poll (Δ totalAudioEnergy / Δ totalSamplesDuration) of speech
// at a normal level is around 1e-3..1e-2; room noise is below 1e-5; Chromium's fake microphone
// beep (a short full-scale tone each second) gives about 1e-3.

import { POLL_INTERVAL_MS } from './stats-poller.js';

/** Mean square audio level over a poll interval (1e-4 ≈ −40 dBov) that counts as sound. */
export const SPEAKING_ENERGY = 1e-4;
/** The speaker keeps the highlight this long after the last loud poll (one quiet poll, and some). */
export const HOLD_MS = 1.5 * POLL_INTERVAL_MS;
/** Someone else must be loud this long (two polls) to take the highlight from a speaker. */
export const SWITCH_DELAY_MS = 0.8 * POLL_INTERVAL_MS;
/** Over a speaker who is still talking, a challenger must be this many times louder (3 dB). */
export const SWITCH_MARGIN = 2;

export const SELF_TILE = 'tile-self';

/** @param {string} participantId */
export const tileOf = (participantId) => `tile-${participantId}`;

/**
 * The energies to judge, by tile id: gated ones (microphone off) are left out.
 * @param {{links: Map<string, {audioEnergy: number | null}>, selfEnergy: number | null}} poll
 * @param {{localAudioEnabled: () => boolean, micOn?: (participantId: string) => boolean}} gates
 * @returns {Map<string, number | null>}
 */
export function speakerEnergies(poll, { localAudioEnabled, micOn = () => true }) {
  /** @type {Map<string, number | null>} */
  const energies = new Map();
  if (safe(localAudioEnabled)) energies.set(SELF_TILE, poll.selfEnergy);
  for (const [id, link] of poll.links) if (safe(() => micOn(id))) energies.set(tileOf(id), link.audioEnergy);
  return energies;
}

/** @param {() => boolean} gate a gate that throws is closed */
function safe(gate) {
  try {
    return gate() === true;
  } catch {
    return false;
  }
}

/** The decision alone, without the DOM: tile ids in, the current speaker out. */
export class SpeakerDetector {
  /** @type {string | null} */
  #current = null;
  /** @type {Map<string, number>} tile id → when its current run of loud polls began */
  #runStart = new Map();
  /** @type {Map<string, number>} tile id → its last loud poll */
  #lastLoud = new Map();

  get current() {
    return this.#current;
  }

  /**
   * @param {Map<string, number | null>} energies by tile id; a tile left out cannot be the speaker
   * @param {number} at ms
   * @returns {string | null} the speaker after this poll
   */
  update(energies, at) {
    const loud = new Map();
    for (const [tile, energy] of energies) if (typeof energy === 'number' && energy >= SPEAKING_ENERGY) loud.set(tile, energy);
    for (const tile of [...this.#runStart.keys()]) if (!loud.has(tile)) this.#runStart.delete(tile);
    for (const tile of [...this.#lastLoud.keys()]) if (!energies.has(tile)) this.#lastLoud.delete(tile);
    for (const tile of loud.keys()) {
      if (!this.#runStart.has(tile)) this.#runStart.set(tile, at);
      this.#lastLoud.set(tile, at);
    }

    let current = this.#current;
    // Gone, muted, or quiet for longer than the hold: the highlight goes.
    if (current !== null && (!energies.has(current) || at - (this.#lastLoud.get(current) ?? -Infinity) > HOLD_MS)) current = null;

    /** @type {[string, number] | null} */
    let best = null;
    for (const [tile, energy] of loud) {
      if (tile === current) continue;
      const patient = current === null || at - (this.#runStart.get(tile) ?? at) >= SWITCH_DELAY_MS;
      if (patient && (!best || energy > best[1])) best = [tile, energy];
    }
    // Over a speaker who is still talking, only someone clearly louder takes over.
    if (best && current !== null && loud.has(current) && best[1] < loud.get(current) * SWITCH_MARGIN) best = null;
    if (best) current = best[0];
    this.#current = current;
    return current;
  }

  reset() {
    this.#current = null;
    this.#runStart.clear();
    this.#lastLoud.clear();
  }
}

/** The detector on the page: marks the speaking tile and reports changes. */
export class ActiveSpeaker {
  #doc;
  #onSpeaker;
  #detector = new SpeakerDetector();

  /** @param {{doc: Document, onSpeaker?: (tileId: string | null) => void}} options */
  constructor({ doc, onSpeaker = () => {} }) {
    this.#doc = doc;
    this.#onSpeaker = onSpeaker;
  }

  /** The speaking tile's id, or null. */
  get current() {
    return this.#detector.current;
  }

  /**
   * @param {Map<string, number | null>} energies by tile id (see speakerEnergies)
   * @param {number} at ms
   */
  update(energies, at) {
    const before = this.#detector.current;
    const after = this.#detector.update(energies, at);
    this.#mark(after); // every poll: a tile swapped in by htmx lost its mark
    if (after !== before) this.#report(after);
  }

  /** No one speaks (the call ended). */
  clear() {
    const before = this.#detector.current;
    this.#detector.reset();
    this.#mark(null);
    if (before !== null) this.#report(null);
  }

  /** @param {string | null} tileId */
  #mark(tileId) {
    for (const tile of this.#doc.querySelectorAll('[data-speaking]')) {
      if (tile.id !== tileId) delete /** @type {HTMLElement} */ (tile).dataset.speaking;
    }
    const tile = tileId ? /** @type {HTMLElement | null} */ (this.#doc.getElementById(tileId)) : null;
    if (tile && tile.dataset.speaking !== 'true') tile.dataset.speaking = 'true';
  }

  /** @param {string | null} tileId */
  #report(tileId) {
    try {
      this.#onSpeaker(tileId);
    } catch (error) {
      console.warn('confab speaker: onSpeaker failed', error);
    }
  }
}
