// Stand-ins for what the call health reads from a peer connection: getStats reports (Maps of
// RTCStats-like objects with cumulative counters, as browsers give them) and RTCRtpSenders with
// getParameters / setParameters. A FakeStatsPc advances its counters one interval at a time.

import { el } from './room-dom.js';

/**
 * A sender as the budget sees it: a track, encodings, and the setParameters calls it received.
 */
export class FakeSender {
  /**
   * @param {{kind: string, contentHint?: string, id?: string} | null} track
   * @param {{encodings?: object[], fail?: boolean}} [options]
   */
  constructor(track, { encodings = [{ active: true }], fail = false } = {}) {
    this.track = track;
    this.encodings = encodings.map((e) => ({ ...e }));
    this.fail = fail;
    /** @type {object[]} every parameters object given to setParameters */
    this.calls = [];
    this.transactions = 0;
  }

  getParameters() {
    return { transactionId: `t${this.transactions}`, encodings: this.encodings.map((e) => ({ ...e })) };
  }

  /** @param {any} parameters */
  async setParameters(parameters) {
    this.calls.push(JSON.parse(JSON.stringify(parameters)));
    await Promise.resolve();
    if (this.fail) throw Object.assign(new Error('refused'), { name: 'InvalidModificationError' });
    this.transactions++;
    this.encodings = parameters.encodings.map((/** @type {object} */ e) => ({ ...e }));
  }

  /** The first encoding as it is now. */
  get encoding() {
    return this.encodings[0];
  }
}

/**
 * @typedef {object} Interval what happened over one interval
 * @property {number} [ms] its length (1000)
 * @property {number} [inBps] media received
 * @property {number} [outBps] media sent
 * @property {number} [packets] packets that were sent to us (received + lost)
 * @property {number} [lossPct] of those, lost
 * @property {number | null} [rttMs] candidate pair currentRoundTripTime (null: leave it out)
 * @property {number | null} [remoteRttMs] remote-inbound-rtp roundTripTime (null: no RTCP yet)
 * @property {number | null} [remoteLossPct] remote-inbound-rtp fractionLost × 100
 * @property {number} [energy] their audio's mean square level over the interval
 * @property {number} [selfEnergy] our microphone's (media-source)
 */

/** A peer connection's stats side, counters advanced by tick(). */
export class FakeStatsPc {
  /**
   * @param {{local?: string, remote?: string, relayProtocol?: string | null, selected?: 'transport' | 'flag' | 'none'}} [path]
   */
  constructor({ local = 'host', remote = 'host', relayProtocol = null, selected = 'transport' } = {}) {
    this.path = { local, remote, relayProtocol, selected };
    this.at = 1_000_000;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.packetsReceived = 0;
    this.packetsLost = 0;
    this.audioEnergy = 0;
    this.selfEnergy = 0;
    this.samples = 0;
    /** @type {number | null} */
    this.rttMs = null;
    /** @type {number | null} */
    this.remoteRttMs = null;
    /** @type {number | null} */
    this.remoteLossPct = null;
    /** @type {FakeSender[]} */
    this.senders = [];
    this.failStats = false;
  }

  /** @param {Interval} interval */
  tick({ ms = 1000, inBps = 0, outBps = 0, packets = 100, lossPct = 0, rttMs = null, remoteRttMs = null, remoteLossPct = null, energy = 0, selfEnergy = 0 } = {}) {
    const seconds = ms / 1000;
    this.at += ms;
    this.bytesIn += (inBps * seconds) / 8;
    this.bytesOut += (outBps * seconds) / 8;
    const lost = Math.round((packets * lossPct) / 100);
    this.packetsLost += lost;
    this.packetsReceived += packets - lost;
    this.audioEnergy += energy * seconds;
    this.selfEnergy += selfEnergy * seconds;
    this.samples += seconds;
    this.rttMs = rttMs;
    this.remoteRttMs = remoteRttMs;
    this.remoteLossPct = remoteLossPct;
    return this;
  }

  /** @param {string} kind @param {string} [contentHint] @param {object} [options] see FakeSender */
  addSender(kind, contentHint = '', options = {}) {
    const sender = new FakeSender({ kind, contentHint, id: `${kind}-${this.senders.length}` }, options);
    this.senders.push(sender);
    return sender;
  }

  getSenders() {
    return [...this.senders];
  }

  async getStats() {
    if (this.failStats) throw new Error('closed');
    const timestamp = this.at;
    /** @type {Map<string, any>} */
    const report = new Map();
    const add = (/** @type {any} */ stat) => report.set(stat.id, { timestamp, ...stat });
    const { local, remote, relayProtocol, selected } = this.path;
    add({ id: 'LC', type: 'local-candidate', candidateType: local, ...(relayProtocol ? { relayProtocol } : {}) });
    add({ id: 'RC', type: 'remote-candidate', candidateType: remote });
    // A pair that is not selected, to be sure the right one is read.
    add({ id: 'LX', type: 'local-candidate', candidateType: 'host' });
    add({ id: 'CPX', type: 'candidate-pair', localCandidateId: 'LX', remoteCandidateId: 'RC', state: 'failed', currentRoundTripTime: 9 });
    const pair = { id: 'CP', type: 'candidate-pair', localCandidateId: 'LC', remoteCandidateId: 'RC', state: 'succeeded', nominated: true };
    if (this.rttMs !== null) Object.assign(pair, { currentRoundTripTime: this.rttMs / 1000 });
    if (selected === 'flag') Object.assign(pair, { selected: true });
    add(pair);
    if (selected === 'transport') add({ id: 'T', type: 'transport', selectedCandidatePairId: 'CP' });
    // Their media: audio and video each carry half of the bytes and packets.
    add({ id: 'IA', type: 'inbound-rtp', kind: 'audio', trackIdentifier: 'their-mic', bytesReceived: this.bytesIn / 2,
      packetsReceived: Math.ceil(this.packetsReceived / 2), packetsLost: Math.ceil(this.packetsLost / 2),
      totalAudioEnergy: this.audioEnergy, totalSamplesDuration: this.samples, audioLevel: 0 });
    add({ id: 'IV', type: 'inbound-rtp', kind: 'video', bytesReceived: this.bytesIn / 2,
      packetsReceived: Math.floor(this.packetsReceived / 2), packetsLost: Math.floor(this.packetsLost / 2) });
    add({ id: 'OA', type: 'outbound-rtp', kind: 'audio', bytesSent: this.bytesOut / 4 });
    add({ id: 'OV', type: 'outbound-rtp', kind: 'video', bytesSent: (3 * this.bytesOut) / 4 });
    if (this.remoteRttMs !== null || this.remoteLossPct !== null) {
      add({ id: 'RIV', type: 'remote-inbound-rtp', kind: 'video',
        ...(this.remoteRttMs !== null ? { roundTripTime: this.remoteRttMs / 1000 } : {}),
        ...(this.remoteLossPct !== null ? { fractionLost: this.remoteLossPct / 100 } : {}) });
    }
    add({ id: 'MS', type: 'media-source', kind: 'audio', trackIdentifier: 'my-mic', totalAudioEnergy: this.selfEnergy, totalSamplesDuration: this.samples });
    return report;
  }
}

/**
 * A mesh as the health modules see it: peers with a pc, remote features, names.
 * @param {Record<string, {pc?: FakeStatsPc, name?: string, mic?: boolean}>} [peers]
 */
export function fakeMesh(peers = {}) {
  /** @type {Map<string, {pc: FakeStatsPc, remoteFeatures: {mic: boolean, cam: boolean} | null}>} */
  const map = new Map();
  /** @type {Map<string, string>} */
  const names = new Map();
  const mesh = {
    peers: map,
    /** @param {string} id */
    nameOf: (id) => names.get(id) ?? null,
    /** @param {string} id @param {{pc?: FakeStatsPc, name?: string, mic?: boolean}} [options] */
    add(id, { pc = new FakeStatsPc(), name = id, mic } = {}) {
      map.set(id, { pc, remoteFeatures: mic === undefined ? null : { mic, cam: true } });
      names.set(id, name);
      return pc;
    },
    /** @param {string} id */
    remove(id) {
      map.delete(id);
      names.delete(id);
    },
  };
  for (const [id, options] of Object.entries(peers)) mesh.add(id, options);
  return mesh;
}

/**
 * Adds the call health markup of room.html to a fake room page (test-support/room-dom.js):
 * #toggle-health, and the hidden #health-panel with #close-health, #health-summary,
 * #health-links and #budget-text.
 * @param {import('./fake-dom.js').FakeDocument} doc
 */
export function addHealthPanel(doc) {
  const e = (/** @type {string} */ tag, /** @type {Record<string, string>} */ attributes = {}, /** @type {any[]} */ ...children) =>
    el(doc, tag, attributes, ...children);
  const toggle = e('button', { id: 'toggle-health', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'health-panel' });
  (doc.querySelector('.controls') ?? doc.body).append(toggle);
  doc.body.append(
    e('aside', { id: 'health-panel', class: 'health-panel side-panel', hidden: '' },
      e('div', { class: 'panel-head' }, e('h2', { id: 'health-title' }, 'Call health'), e('button', { id: 'close-health', type: 'button' })),
      e('p', { id: 'health-summary', role: 'status', 'aria-live': 'polite' }, 'Join the call to see how each connection is doing.'),
      e('div', { id: 'health-links', class: 'health-links' }),
      e('section', { id: 'health-budget' }, e('p', { id: 'budget-text', class: 'hint' }))),
  );
  return doc;
}
