// One poller for the whole call: every POLL_INTERVAL_MS it asks each peer connection of the mesh
// for its stats and turns the counters into figures per link (round trip, loss, bitrate, the path
// of the selected candidate pair) and audio energies (who is making sound). The link health, the
// bandwidth budget and the active speaker all read this one measurement, so getStats runs once
// per peer per second, however many features use it.
//
// Counters are cumulative, so figures come from differences between two polls: bitrate over the
// last second, loss over the last LOSS_WINDOW polls (one second of loss is too noisy to call a
// link poor). Audio energy is Δ totalAudioEnergy / Δ totalSamplesDuration: the mean square level
// over the interval, which sees a short sound (Chromium's fake microphone beeps) that an
// instantaneous audioLevel would mostly miss. No DOM.

import { describePath } from './link-health.js';

/**
 * A full getStats report costs the page real CPU (tens of ms of a core for a few connections):
 * every 2 s keeps the figures, the budget and the speaker current at half the cost of every second.
 */
export const POLL_INTERVAL_MS = 2000;
/** Polls over which loss is measured (the newest and this many before it). */
export const LOSS_WINDOW = 5;

/**
 * The counters read from one getStats report.
 * @typedef {object} Snapshot
 * @property {number} at ms, the report's newest timestamp
 * @property {number} bytesIn media bytes received (every inbound-rtp)
 * @property {number} bytesOut media bytes sent (every outbound-rtp)
 * @property {number} packetsIn packets received (every inbound-rtp)
 * @property {number} packetsLost packets lost on the way to us (every inbound-rtp)
 * @property {number | null} remoteFractionLost 0..1, the worst the other side reports for what we send
 * @property {number | null} rttMs selected pair's currentRoundTripTime, else remote-inbound-rtp roundTripTime
 * @property {string | null} localType candidate types of the selected pair
 * @property {string | null} remoteType
 * @property {string | null} relayProtocol the local relay candidate's (udp, tcp, tls)
 * @property {Map<string, {energy: number, duration: number}>} audioIn inbound audio by trackIdentifier
 * @property {Map<string, {energy: number, duration: number}>} audioOut media-source audio by trackIdentifier
 *
 * What the poller says about one link.
 * @typedef {object} LinkStats
 * @property {string} id participant id
 * @property {number | null} rttMs
 * @property {number | null} lossPct the worse of lossInPct and lossOutPct
 * @property {number | null} lossInPct what we lose of their media
 * @property {number | null} lossOutPct what they lose of ours (their RTCP report)
 * @property {number | null} inBps
 * @property {number | null} outBps
 * @property {string | null} localType
 * @property {string | null} remoteType
 * @property {string | null} relayProtocol
 * @property {string | null} path "direct", "relayed through TURN over UDP"... (see link-health.js)
 * @property {number | null} audioEnergy the loudest of their audio tracks over the last interval
 *
 * @typedef {object} PollResult
 * @property {Map<string, LinkStats>} links by participant id, in mesh order
 * @property {number | null} selfEnergy our microphone's energy over the last interval
 * @property {number} at when the poll finished (Date.now())
 *
 * @typedef {{pc: {getStats: () => Promise<any>}}} PolledPeer
 * @typedef {{peers: Map<string, PolledPeer>}} PolledMesh
 *
 * @typedef {object} StatsPollerOptions
 * @property {PolledMesh} mesh
 * @property {number} [intervalMs]
 * @property {(peerId: string | null, trackIdentifier: string) => boolean} [ignoreAudio] e.g. a screen share's tab audio
 *   (peerId null: one of ours); it makes no one the active speaker
 * @property {() => number} [now]
 */

/** @param {unknown} value */
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Reads the counters of one report (a Map of RTCStats, as getStats resolves).
 * @param {{forEach: (fn: (stat: any) => void) => void, get?: (id: string) => any}} report
 * @returns {Snapshot}
 */
export function readReport(report) {
  /** @type {any[]} */
  const stats = [];
  report.forEach((stat) => {
    if (stat && typeof stat === 'object') stats.push(stat);
  });
  const byId = new Map(stats.map((stat) => [stat.id, stat]));
  /** @type {Snapshot} */
  const snapshot = {
    at: 0,
    bytesIn: 0,
    bytesOut: 0,
    packetsIn: 0,
    packetsLost: 0,
    remoteFractionLost: null,
    rttMs: null,
    localType: null,
    remoteType: null,
    relayProtocol: null,
    audioIn: new Map(),
    audioOut: new Map(),
  };
  let remoteRtt = null;
  for (const stat of stats) {
    snapshot.at = Math.max(snapshot.at, num(stat.timestamp) ?? 0);
    if (stat.type === 'inbound-rtp') {
      snapshot.bytesIn += num(stat.bytesReceived) ?? 0;
      snapshot.packetsIn += num(stat.packetsReceived) ?? 0;
      snapshot.packetsLost += Math.max(0, num(stat.packetsLost) ?? 0); // negative with duplicates
      if (stat.kind === 'audio') addAudio(snapshot.audioIn, stat);
    } else if (stat.type === 'outbound-rtp') {
      snapshot.bytesOut += num(stat.bytesSent) ?? 0;
    } else if (stat.type === 'remote-inbound-rtp') {
      const fraction = num(stat.fractionLost);
      if (fraction !== null) snapshot.remoteFractionLost = Math.max(snapshot.remoteFractionLost ?? 0, fraction);
      const rtt = num(stat.roundTripTime);
      if (rtt !== null) remoteRtt = Math.max(remoteRtt ?? 0, rtt * 1000);
    } else if (stat.type === 'media-source' && stat.kind === 'audio') {
      addAudio(snapshot.audioOut, stat);
    }
  }
  const pair = selectedPair(stats, byId);
  if (pair) {
    const rtt = num(pair.currentRoundTripTime);
    snapshot.rttMs = rtt !== null ? rtt * 1000 : null;
    const local = byId.get(pair.localCandidateId);
    const remote = byId.get(pair.remoteCandidateId);
    snapshot.localType = typeof local?.candidateType === 'string' ? local.candidateType : null;
    snapshot.remoteType = typeof remote?.candidateType === 'string' ? remote.candidateType : null;
    if (snapshot.localType === 'relay' && typeof local.relayProtocol === 'string') snapshot.relayProtocol = local.relayProtocol;
  }
  snapshot.rttMs ??= remoteRtt;
  return snapshot;
}

/** @param {Map<string, {energy: number, duration: number}>} into @param {any} stat */
function addAudio(into, stat) {
  const energy = num(stat.totalAudioEnergy);
  const duration = num(stat.totalSamplesDuration);
  if (energy === null || duration === null) return;
  into.set(String(stat.trackIdentifier ?? stat.id), { energy, duration });
}

/**
 * The candidate pair in use: the transport's selectedCandidatePairId (Chromium, Safari), a pair
 * marked selected (Firefox), or else a nominated, succeeded one.
 * @param {any[]} stats
 * @param {Map<string, any>} byId
 */
function selectedPair(stats, byId) {
  for (const stat of stats) {
    if (stat.type === 'transport' && stat.selectedCandidatePairId) {
      const pair = byId.get(stat.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  const pairs = stats.filter((stat) => stat.type === 'candidate-pair');
  return pairs.find((pair) => pair.selected === true) ?? pairs.find((pair) => pair.nominated && pair.state === 'succeeded') ?? null;
}

/**
 * Mean square level over the interval, the loudest of the tracks both snapshots hold.
 * @param {Map<string, {energy: number, duration: number}>} before
 * @param {Map<string, {energy: number, duration: number}>} after
 * @param {(trackIdentifier: string) => boolean} ignore
 * @returns {number | null}
 */
export function energyBetween(before, after, ignore = () => false) {
  let loudest = null;
  for (const [track, now] of after) {
    const then = before.get(track);
    if (!then || ignore(track)) continue;
    const duration = now.duration - then.duration;
    if (duration <= 0) continue; // no samples (a track that sends nothing): no figure
    loudest = Math.max(loudest ?? 0, Math.max(0, now.energy - then.energy) / duration);
  }
  return loudest;
}

/**
 * A link's figures from its snapshots, oldest first (the newest is the last).
 * @param {string} id
 * @param {readonly Snapshot[]} history
 * @param {(trackIdentifier: string) => boolean} [ignoreAudio]
 * @returns {LinkStats}
 */
export function linkStats(id, history, ignoreAudio) {
  const now = history[history.length - 1];
  const previous = history.length > 1 ? history[history.length - 2] : null;
  const oldest = history.length > 1 ? history[0] : null;
  const seconds = previous ? (now.at - previous.at) / 1000 : 0;
  /** @param {number} a @param {number} b a counter that went down (a track removed): no figure */
  const rate = (a, b) => (seconds > 0 && b >= a ? ((b - a) * 8) / seconds : null);

  let lossInPct = null;
  if (oldest) {
    const lost = now.packetsLost - oldest.packetsLost;
    const received = now.packetsIn - oldest.packetsIn;
    if (lost >= 0 && received >= 0 && lost + received > 0) lossInPct = (100 * lost) / (lost + received);
  }
  const lossOutPct = now.remoteFractionLost === null ? null : 100 * now.remoteFractionLost;
  const losses = [lossInPct, lossOutPct].filter((x) => x !== null);
  return {
    id,
    rttMs: now.rttMs,
    lossPct: losses.length ? Math.max(...losses) : null,
    lossInPct,
    lossOutPct,
    inBps: previous ? rate(previous.bytesIn, now.bytesIn) : null,
    outBps: previous ? rate(previous.bytesOut, now.bytesOut) : null,
    localType: now.localType,
    remoteType: now.remoteType,
    relayProtocol: now.relayProtocol,
    path: describePath(now.localType, now.remoteType, now.relayProtocol),
    audioEnergy: previous ? energyBetween(previous.audioIn, now.audioIn, ignoreAudio) : null,
  };
}

export class StatsPoller {
  #mesh;
  #intervalMs;
  #ignoreAudio;
  #now;
  /** @type {Map<string, {pc: unknown, history: Snapshot[]}>} */
  #histories = new Map();
  /** @type {Set<(result: PollResult) => void>} */
  #listeners = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  #running = false;
  /** @type {PollResult | null} */
  #last = null;
  /** bumped by stop(): a poll still waiting for getStats then changes nothing */
  #generation = 0;

  /** @param {StatsPollerOptions} options */
  constructor({ mesh, intervalMs = POLL_INTERVAL_MS, ignoreAudio = () => false, now = Date.now }) {
    this.#mesh = mesh;
    this.#intervalMs = intervalMs;
    this.#ignoreAudio = ignoreAudio;
    this.#now = now;
  }

  /** @param {(result: PollResult) => void} listener called after every poll @returns {() => void} unsubscribe */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The latest poll's result, or null before the first. */
  get last() {
    return this.#last;
  }

  get running() {
    return this.#running;
  }

  /** Polls now and then every interval (the next one waits for this one: polls never overlap). */
  start() {
    if (this.#running) return;
    this.#running = true;
    const tick = async () => {
      try {
        await this.poll();
      } catch (error) {
        console.warn('confab stats: a poll failed', error); // the next one may do better: keep polling
      }
      if (this.#running) this.#timer = setTimeout(tick, this.#intervalMs);
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops polling and forgets the counters (a new call starts from nothing). */
  stop() {
    this.#running = false;
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#histories.clear();
    this.#last = null;
  }

  /** @returns {Promise<PollResult>} */
  async poll() {
    const peers = [...this.#mesh.peers];
    const generation = this.#generation;
    const reports = await Promise.all(peers.map(([, peer]) => statsOf(peer)));
    if (generation !== this.#generation) return { links: new Map(), selfEnergy: null, at: this.#now() };
    /** @type {Map<string, LinkStats>} */
    const links = new Map();
    let selfEnergy = null;
    let selfMeasured = false;
    const present = new Set();
    peers.forEach(([id, peer], i) => {
      present.add(id);
      const report = reports[i];
      let entry = this.#histories.get(id);
      // A renewed peer (new pc) starts its counters from zero.
      if (!entry || entry.pc !== peer.pc) {
        entry = { pc: peer.pc, history: [] };
        this.#histories.set(id, entry);
      }
      if (report) {
        const snapshot = readReport(report);
        if (!snapshot.at) snapshot.at = this.#now();
        entry.history.push(snapshot);
        if (entry.history.length > LOSS_WINDOW + 1) entry.history.shift();
      }
      const { history } = entry;
      if (history.length === 0) {
        links.set(id, linkStats(id, [readReport(new Map())]));
        return;
      }
      links.set(id, linkStats(id, history, (track) => this.#ignoreAudio(id, track)));
      // Our microphone is the same track on every connection: one measurement is enough.
      if (!selfMeasured && report && history.length > 1) {
        const energy = energyBetween(history[history.length - 2].audioOut, history[history.length - 1].audioOut, (track) =>
          this.#ignoreAudio(null, track),
        );
        if (energy !== null) {
          selfEnergy = energy;
          selfMeasured = true;
        }
      }
    });
    for (const id of [...this.#histories.keys()]) if (!present.has(id)) this.#histories.delete(id);
    const result = { links, selfEnergy, at: this.#now() };
    this.#last = result;
    for (const listener of [...this.#listeners]) {
      try {
        listener(result);
      } catch (error) {
        console.warn('confab stats: a listener failed', error);
      }
    }
    return result;
  }
}

/** @param {PolledPeer} peer @returns {Promise<any | null>} null: no stats (a closed pc) */
async function statsOf(peer) {
  try {
    return typeof peer.pc?.getStats === 'function' ? await peer.pc.getStats() : null;
  } catch {
    return null;
  }
}
