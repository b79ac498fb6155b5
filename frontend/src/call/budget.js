// Applies the bandwidth budget (call/bandwidth-budget.js) to the mesh's senders: per peer,
// encodings[0].maxBitrate for audio, maxBitrate and scaleResolutionDownBy for camera video, the
// screen's share for a screen sender (track.contentHint "detail" or "text"). update() runs after
// every stats poll, so a peer that came or went, a link whose level changed, a screen share that
// started or a replaced track is planned within a poll (2 s); setParameters is called only for a
// sender whose parameters differ from the plan, and never twice at once for the same sender.
// Errors go to console.warn: a budget that cannot be applied must not break the call.

import { describeBudget, planBudget } from './bandwidth-budget.js';

/**
 * @typedef {import('./bandwidth-budget.js').PeerPlan} PeerPlan
 * @typedef {import('./link-health.js').LinkLevel} LinkLevel
 *
 * @typedef {{track: {kind: string, contentHint?: string} | null, getParameters?: () => any, setParameters?: (p: any) => Promise<void>}} BudgetSender
 * @typedef {{pc: {getSenders?: () => BudgetSender[]}}} BudgetPeer
 * @typedef {{peers: Map<string, BudgetPeer>, nameOf?: (id: string) => string | null}} BudgetMesh
 */

/** @param {{contentHint?: string} | null | undefined} track */
/** A sender that refused parameters gets the same ones again after this long. */
export const RETRY_REFUSED_MS = 6000;

export const isScreenTrack = (track) => track?.contentHint === 'detail' || track?.contentHint === 'text';

/** @param {BudgetPeer} peer @returns {BudgetSender[]} */
function sendersOf(peer) {
  try {
    return typeof peer.pc?.getSenders === 'function' ? peer.pc.getSenders() : [];
  } catch {
    return []; // a closed pc
  }
}

export class BandwidthBudget {
  #mesh;
  /** @type {Map<string, PeerPlan>} */
  #plan = new Map();
  /** @type {(id: string) => LinkLevel} */
  #levelOf = () => 'unknown';
  /** @type {WeakSet<object>} senders with a setParameters in flight */
  #busy = new WeakSet();
  /** @type {WeakSet<object>} senders planned again while busy: apply once it is done */
  #again = new WeakSet();
  /**
   * Parameters a sender refused, and when: not tried again at every poll, but again after
   * RETRY_REFUSED_MS, since a refusal may be passing (setParameters while a negotiation changed
   * the sender's transaction).
   * @type {WeakMap<object, {key: string, at: number}>}
   */
  #refused = new WeakMap();
  #now;

  /** @param {{mesh: BudgetMesh, now?: () => number}} options */
  constructor({ mesh, now = Date.now }) {
    this.#mesh = mesh;
    this.#now = now;
  }

  /**
   * Plans the budget for the mesh's peers as they are now and applies it.
   * @param {(id: string) => LinkLevel} [levelOf] each link's level (unknown: treated as good)
   * @returns {Record<string, PeerPlan>} the plan applied
   */
  update(levelOf = this.#levelOf) {
    this.#levelOf = levelOf;
    const peers = [...this.#mesh.peers];
    const sharingScreen = peers.some(([, peer]) => sendersOf(peer).some((sender) => sender.track?.kind === 'video' && isScreenTrack(sender.track)));
    this.#plan = planBudget({ peers: peers.map(([id]) => id), levelOf, sharingScreen });
    for (const [id, peer] of peers) {
      const plan = this.#plan.get(id);
      if (plan) for (const sender of sendersOf(peer)) this.#apply(sender, plan);
    }
    return this.plan();
  }

  /** The last plan applied, by participant id (a plain object: browser tests read it as JSON). */
  plan() {
    return Object.fromEntries([...this.#plan].map(([id, plan]) => [id, { ...plan }]));
  }

  /** The current budget in words (call health panel). */
  describe() {
    const nameOf = (/** @type {string} */ id) => this.#mesh.nameOf?.(id) || 'someone';
    return describeBudget(this.#plan, { levelOf: this.#levelOf, nameOf });
  }

  /** Forgets the plan (the call ended); senders keep what they were given. */
  reset() {
    this.#plan = new Map();
    this.#levelOf = () => 'unknown';
  }

  /**
   * @param {BudgetSender} sender
   * @param {PeerPlan} plan
   */
  #apply(sender, plan) {
    const track = sender.track;
    if (!track || typeof sender.getParameters !== 'function' || typeof sender.setParameters !== 'function') return;
    if (this.#busy.has(sender)) {
      this.#again.add(sender);
      return;
    }
    /** @type {{maxBitrate: number, scaleResolutionDownBy?: number}} */
    let wanted;
    if (track.kind === 'audio') wanted = { maxBitrate: plan.audio };
    else if (track.kind === 'video' && isScreenTrack(track)) wanted = { maxBitrate: plan.screen ?? plan.video, scaleResolutionDownBy: 1 };
    else if (track.kind === 'video') wanted = { maxBitrate: plan.video, scaleResolutionDownBy: plan.scale };
    else return;

    let parameters;
    try {
      parameters = sender.getParameters();
    } catch (error) {
      console.warn('confab budget: getParameters failed', error);
      return;
    }
    const encoding = parameters?.encodings?.[0];
    if (!encoding) return; // not negotiated yet: the next update tries again
    const same =
      encoding.maxBitrate === wanted.maxBitrate &&
      (wanted.scaleResolutionDownBy === undefined || (encoding.scaleResolutionDownBy ?? 1) === wanted.scaleResolutionDownBy);
    if (same) return;
    const key = JSON.stringify(wanted);
    const refused = this.#refused.get(sender);
    if (refused?.key === key && this.#now() - refused.at < RETRY_REFUSED_MS) return;
    Object.assign(encoding, wanted);

    this.#busy.add(sender);
    let pending;
    try {
      pending = Promise.resolve(sender.setParameters(parameters));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending
      .catch((error) => {
        this.#refused.set(sender, { key, at: this.#now() });
        console.warn('confab budget: setParameters failed', error);
      })
      .finally(() => {
        this.#busy.delete(sender);
        if (!this.#again.has(sender)) return;
        this.#again.delete(sender);
        const current = [...this.#mesh.peers].find(([, peer]) => sendersOf(peer).includes(sender));
        const latest = current && this.#plan.get(current[0]);
        if (latest) this.#apply(sender, latest);
      });
  }
}
