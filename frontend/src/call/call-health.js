// The call's health, wired together: one stats poller (call/stats-poller.js) feeds, after every
// poll, the bandwidth budget (call/budget.js), the link indicators and the call health panel
// (call/health-panel.js) and the active speaker (call/active-speaker.js). room.js installs it
// once per page, calls start() when the page is in the call and stop() when it leaves.

import { ActiveSpeaker, speakerEnergies } from './active-speaker.js';
import { BandwidthBudget } from './budget.js';
import { HealthPanel } from './health-panel.js';
import { linkLevel } from './link-health.js';
import { StatsPoller } from './stats-poller.js';

/**
 * @typedef {object} HealthMesh
 * @property {Map<string, {pc: any, remoteFeatures?: {mic?: boolean} | null}>} peers
 * @property {(id: string) => string | null} [nameOf]
 *
 * @typedef {object} CallHealthOptions
 * @property {Document} doc
 * @property {HealthMesh} mesh
 * @property {() => boolean} localAudioEnabled whether our microphone is on (off: never the speaker)
 * @property {(tileId: string | null) => void} [onSpeaker] the speaking tile changed (e.g. tileView.setActiveSpeaker)
 * @property {(peerId: string | null, trackIdentifier: string) => boolean} [ignoreAudio] audio that
 *   makes no one the speaker, e.g. a screen share's tab audio (peerId null: ours)
 * @property {number} [intervalMs] the poll interval (tests)
 * @property {() => number} [now] the clock, ms (tests)
 *
 * @typedef {object} CallHealth
 * @property {BandwidthBudget} budget budget.plan(): the last plan applied, by participant id
 * @property {ActiveSpeaker} speaker speaker.current: the speaking tile's id
 * @property {StatsPoller} poller poller.last: the latest figures
 * @property {HealthPanel} panel
 * @property {() => void} start polls every POLL_INTERVAL_MS (2 s) until stop() (idempotent)
 * @property {() => void} stop no more polls; indicators, highlight and rows go
 */

/**
 * @param {CallHealthOptions} options
 * @returns {CallHealth}
 */
export function installCallHealth({ doc, mesh, localAudioEnabled, onSpeaker = () => {}, ignoreAudio, intervalMs, now = Date.now }) {
  const poller = new StatsPoller({ mesh, ignoreAudio, intervalMs, now });
  const budget = new BandwidthBudget({ mesh, now });
  const speaker = new ActiveSpeaker({ doc, onSpeaker });
  const panel = new HealthPanel({ doc, nameOf: (id) => mesh.nameOf?.(id) ?? null, now });

  poller.subscribe((result) => {
    const levels = new Map([...result.links].map(([id, link]) => [id, linkLevel(link)]));
    budget.update((id) => levels.get(id) ?? 'unknown');
    panel.render(result.links, budget.describe());
    // The other side's features message says whether its microphone is on; only false gates.
    const micOn = (/** @type {string} */ id) => mesh.peers.get(id)?.remoteFeatures?.mic !== false;
    speaker.update(speakerEnergies(result, { localAudioEnabled, micOn }), result.at);
  });

  return {
    budget,
    speaker,
    poller,
    panel,
    start: () => poller.start(),
    stop: () => {
      poller.stop();
      speaker.clear();
      panel.clear();
      budget.reset();
    },
  };
}
