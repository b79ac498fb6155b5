// The mesh's upload budget, planned per peer. Pure: numbers in, numbers out (call/budget.js
// applies them with RTCRtpSender.setParameters).
//
// In a full mesh every participant sends its camera once per other participant, so the uplink,
// usually the narrowest part of a home connection, carries N−1 copies. Without a budget each
// connection's congestion control grabs what it can and they fight; with one, the room degrades
// evenly and early, and audio (what a call cannot do without) is served first.
//
//   UPLOAD_BUDGET_BPS 2.5 Mbit/s in total, a modest home or mobile uplink, split evenly over
//                     the N−1 peers: the per-peer share.
//   audio             AUDIO_BPS 64 kbit/s (Opus at full-band speech quality) out of every share
//                     first; only when a share is too small to also hold the smallest video
//                     (share − VIDEO_MIN_BPS < 64 kbit/s) it goes down, never below
//                     AUDIO_FLOOR_BPS 32 kbit/s (still clear speech).
//   camera video      the rest of the share, clamped to [VIDEO_MIN_BPS 150 kbit/s,
//                     VIDEO_MAX_BPS 1.5 Mbit/s]: below 150 kbit/s video is a slideshow, above
//                     1.5 Mbit/s a 720p camera gains little.
//   resolution        scaleResolutionDownBy from the camera's budget: 1 from
//                     FULL_RESOLUTION_BPS 700 kbit/s, 2 (half width and height) from
//                     HALF_RESOLUTION_BPS 300 kbit/s, else 4. Fewer pixels at a low bitrate
//                     look sharper than many smeared ones.
//   a poor link       (call/link-health.js: loss > 5 % or round trip > 400 ms) gets
//                     POOR_LINK_VIDEO_FACTOR (half) of its video budget, audio untouched: on a
//                     congested path less video leaves room for the voice.
//   screen share      while we share a screen (a sender whose track.contentHint is "detail" or
//                     "text"), SCREEN_SHARE 70 % of the video budget goes to the screen (clamped
//                     to [VIDEO_MIN_BPS, SCREEN_MAX_BPS 2 Mbit/s], always full resolution: text
//                     must stay legible, the encoder drops frames instead) and the camera gets the
//                     rest, with the camera's clamp and resolution steps.
//
// Per peer, for N = 2..8 (no screen, good links): audio 64 kbit/s and camera
//   N=2 1.5 Mbit/s ×1 · N=3 1.19 Mbit/s ×1 · N=4 769 kbit/s ×1 · N=5 561 kbit/s ×2
//   N=6 436 kbit/s ×2 · N=7 353 kbit/s ×2 · N=8 293 kbit/s ×4
// The clamps can exceed the total in very large rooms (150 kbit/s × 20 peers): there the
// browser's own congestion control still has the last word.

import { formatBitrate } from './link-health.js';

export const UPLOAD_BUDGET_BPS = 2_500_000;
export const AUDIO_BPS = 64_000;
export const AUDIO_FLOOR_BPS = 32_000;
export const VIDEO_MIN_BPS = 150_000;
export const VIDEO_MAX_BPS = 1_500_000;
export const SCREEN_MAX_BPS = 2_000_000;
export const SCREEN_SHARE = 0.7;
export const POOR_LINK_VIDEO_FACTOR = 0.5;
export const FULL_RESOLUTION_BPS = 700_000;
export const HALF_RESOLUTION_BPS = 300_000;

/**
 * What one peer gets, in bit/s; screen is null while we do not share one.
 * @typedef {{audio: number, video: number, scale: number, screen: number | null}} PeerPlan
 * @typedef {import('./link-health.js').LinkLevel} LinkLevel
 */

/** @param {number} value @param {number} min @param {number} max */
const clamp = (value, min, max) => Math.min(max, Math.max(min, value));

/** @param {number} peerCount N−1 @returns {number} bit/s for each peer */
export function perPeerShare(peerCount) {
  return UPLOAD_BUDGET_BPS / Math.max(1, peerCount);
}

/** @param {number} videoBps a camera's budget @returns {1 | 2 | 4} */
export function scaleFor(videoBps) {
  if (videoBps >= FULL_RESOLUTION_BPS) return 1;
  if (videoBps >= HALF_RESOLUTION_BPS) return 2;
  return 4;
}

/**
 * @param {{share: number, level?: LinkLevel, sharingScreen?: boolean}} input
 * @returns {PeerPlan}
 */
export function planPeer({ share, level = 'unknown', sharingScreen = false }) {
  const audio = Math.floor(clamp(share - VIDEO_MIN_BPS, AUDIO_FLOOR_BPS, AUDIO_BPS));
  let videoPart = Math.max(0, share - audio);
  if (level === 'poor') videoPart *= POOR_LINK_VIDEO_FACTOR;
  // Rounded down: the parts never add up to more than the share.
  const camera = Math.floor(clamp(sharingScreen ? videoPart * (1 - SCREEN_SHARE) : videoPart, VIDEO_MIN_BPS, VIDEO_MAX_BPS));
  const screen = sharingScreen ? Math.floor(clamp(videoPart * SCREEN_SHARE, VIDEO_MIN_BPS, SCREEN_MAX_BPS)) : null;
  return { audio, video: camera, scale: scaleFor(camera), screen };
}

/**
 * The plan for every peer.
 * @param {{peers: Iterable<string>, levelOf?: (id: string) => LinkLevel, sharingScreen?: boolean}} input
 * @returns {Map<string, PeerPlan>}
 */
export function planBudget({ peers, levelOf = () => 'unknown', sharingScreen = false }) {
  const ids = [...peers];
  const share = perPeerShare(ids.length);
  return new Map(ids.map((id) => [id, planPeer({ share, level: levelOf(id), sharingScreen })]));
}

/** @param {number} scale */
const resolutionWord = (scale) => (scale <= 1 ? 'full resolution' : scale <= 2 ? 'half resolution' : 'quarter resolution');

/** @param {PeerPlan} plan */
function partsOf(plan) {
  const parts = [`audio ${formatBitrate(plan.audio)}`];
  if (plan.screen !== null) parts.push(`screen up to ${formatBitrate(plan.screen)}`);
  parts.push(`camera up to ${formatBitrate(plan.video)} at ${resolutionWord(plan.scale)}`);
  return parts.join(', ');
}

/**
 * The budget in words, for the call health panel.
 * @param {Map<string, PeerPlan>} plans
 * @param {{levelOf?: (id: string) => LinkLevel, nameOf?: (id: string) => string}} [context]
 */
export function describeBudget(plans, { levelOf = () => 'unknown', nameOf = (id) => id } = {}) {
  if (plans.size === 0) return `You may send up to ${formatBitrate(UPLOAD_BUDGET_BPS)}; it is split once someone else is connected.`;
  const n = plans.size;
  const ids = [...plans.keys()];
  const lowered = ids.filter((id) => levelOf(id) === 'poor');
  const normal = ids.find((id) => levelOf(id) !== 'poor');
  const split = n === 1 ? 'all for 1 connection' : `split over ${n} connections, ${formatBitrate(perPeerShare(n))} each`;
  let text = `Upload ${formatBitrate(UPLOAD_BUDGET_BPS)}, ${split}`;
  const typical = plans.get(normal ?? ids[0]);
  if (normal && typical) text += `: ${partsOf(typical)}.`;
  else text += '.';
  for (const id of lowered) {
    const plan = plans.get(id);
    if (plan) text += ` Lowered for ${nameOf(id)} (poor connection): ${partsOf(plan)}.`;
  }
  return text;
}
