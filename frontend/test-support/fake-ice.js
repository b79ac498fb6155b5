// The network and ICE half of the fake RTCPeerConnection (fake-rtc.js): which candidates a pc
// gathers, whether two pcs find a path and become "connected" (or "failed"), and the data channels
// that open over that connection. Kept out of fake-rtc.js (the signaling side) so each reads on
// its own; the functions take the pc and work on its fields, as fake-tracks.js does.
//
// What it models:
// - ICE: every pc has one ufrag; candidates name it; two pcs that hold each other's descriptions
//   and a candidate from each other become "connected";
// - a network, per pc (`network`, or a class from withNetwork): a host candidate unless the
//   iceTransportPolicy is "relay"; a relay candidate when a turn: / turns: server is configured
//   and answers ("ok"), else an icecandidateerror (701 "unreachable", 401 "refuses"). A pair of
//   candidates works if either is relay, or both are host and both networks allow direct paths.
//   Once both sides have all of each other's candidates and no pair works: "failed" on both.
//   A remote offer or a restart offer while "failed" goes back to "connecting".
// - negotiated data channels open when the connection does and pair up by id.

import { mediaError } from './fake-media.js';

/** @typedef {import('./fake-rtc.js').FakePeerConnection} FakePeerConnection */

/**
 * What the network lets a fake pc do.
 * mdns: host candidates name an x.local address (a browser without media permission).
 * @typedef {{direct: boolean, turn: 'ok' | 'unreachable' | 'refuses', mdns?: boolean}} FakeNetwork
 */

/** @param {unknown} url */
const isTurnUrl = (url) => typeof url === 'string' && /^turns?:/.test(url);

/** @param {any} config @returns {string | null} the first TURN URL of the configuration */
function turnUrl(config) {
  for (const server of config?.iceServers ?? []) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
    const url = urls.find(isTurnUrl);
    if (url) return url;
  }
  return null;
}

/** @param {string} line a candidate line @returns {string} the ufrag it names */
export const candidateUfrag = (line) => line.split(' ')[1];

/** @param {string} line a candidate line @returns {string} host, relay... */
export const candidateType = (line) => / typ (\w+)/.exec(line)?.[1] ?? 'host';

export class FakeDataChannel {
  /** @param {string} label @param {{negotiated?: boolean, id?: number}} init */
  constructor(label, init) {
    this.label = label;
    this.negotiated = !!init.negotiated;
    this.id = init.id ?? null;
    this.readyState = 'connecting';
    /** @type {FakeDataChannel | null} */
    this.remote = null;
    /** @type {string[]} */
    this.sent = [];
    /** @type {((e: any) => void) | null} */
    this.onopen = null;
    /** @type {((e: any) => void) | null} */
    this.onmessage = null;
    /** @type {((e: any) => void) | null} */
    this.onclose = null;
  }

  /** @param {string} data */
  send(data) {
    if (this.readyState !== 'open') throw mediaError('InvalidStateError', `channel is ${this.readyState}`);
    this.sent.push(data);
    const remote = this.remote;
    setTimeout(() => {
      if (remote?.readyState === 'open') remote.onmessage?.({ data });
    }, 0);
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    setTimeout(() => this.onclose?.({}), 0);
    this.remote?.close();
  }

  /** @param {FakeDataChannel} remote */
  _open(remote) {
    this.remote = remote;
    this.readyState = 'open';
    setTimeout(() => this.onopen?.({}), 0);
  }
}

/** The candidates this pc's network gives it, fired after a local description. @param {FakePeerConnection} pc */
export function gatherCandidates(pc) {
  const n = ++pc._candidateCount;
  /** @type {{type: string, line: string}[]} */
  const found = [];
  if (pc.config.iceTransportPolicy !== 'relay') {
    const address = pc.network.mdns ? `${pc.ufrag}-host.local` : '10.0.0.1';
    found.push({ type: 'host', line: `candidate:${n} ${pc.ufrag} udp 2122260223 ${address} 5000${n} typ host` });
  }
  const turn = turnUrl(pc.config);
  /** @type {object | null} */
  let error = null;
  if (turn && pc.network.turn === 'ok') {
    found.push({ type: 'relay', line: `candidate:${n}r ${pc.ufrag} udp 41885439 203.0.113.7 6000${n} typ relay raddr 0.0.0.0 rport 0` });
  } else if (turn) {
    error = pc.network.turn === 'refuses'
      ? { url: turn, errorCode: 401, errorText: 'Unauthorized' }
      : { url: turn, errorCode: 701, errorText: 'TURN host lookup received error.' };
  }
  // Gathering starts once setLocalDescription has resolved: two tasks later.
  const later = (/** @type {() => void} */ fn) => setTimeout(() => setTimeout(fn, 0), 0);
  later(() => {
    if (pc.signalingState === 'closed') return;
    if (error) pc.onicecandidateerror?.(error);
    for (const { type, line } of found) {
      pc.localCandidateTypes.push(type);
      const candidate = { candidate: line, sdpMid: '0', sdpMLineIndex: 0 };
      pc.onicecandidate?.({ candidate: { ...candidate, type, toJSON: () => ({ ...candidate }) } });
    }
    pc.onicecandidate?.({ candidate: null });
  });
}

/** @param {FakePeerConnection} pc @param {FakePeerConnection} other */
function readyFor(pc, other) {
  return pc.signalingState === 'stable' && pc.remoteCandidates.includes(other.ufrag);
}

/** Whether some pair of our candidates and the ones we got from them works. @param {FakePeerConnection} pc @param {FakePeerConnection} other */
function hasPath(pc, other) {
  const direct = pc.network.direct && other.network.direct;
  return pc.localCandidateTypes.some((mine) =>
    pc.remoteCandidateTypes.some((theirs) => mine === 'relay' || theirs === 'relay' || (direct && mine === 'host' && theirs === 'host')),
  );
}

/** Stable, and all of their candidates are in. @param {FakePeerConnection} pc */
function checksDone(pc) {
  return pc.signalingState === 'stable' && pc._endOfCandidates;
}

/** @param {FakePeerConnection} pc */
export function backToConnecting(pc) {
  if (pc.connectionState !== 'failed') return;
  pc.connectionState = 'connecting';
  setTimeout(() => pc.onconnectionstatechange?.({}), 0);
}

/** @param {FakePeerConnection} pc */
export function tryConnect(pc) {
  const partner = pc._partner();
  if (!partner || partner._partner() !== pc) return;
  const path = hasPath(pc, partner) && hasPath(partner, pc);
  if (!path) {
    if (!checksDone(pc) || !checksDone(partner)) return;
    for (const one of [pc, partner]) {
      if (one.connectionState === 'failed' || one.connectionState === 'connected') continue;
      one.connectionState = 'failed';
      setTimeout(() => one.onconnectionstatechange?.({}), 0);
    }
    return;
  }
  if (!readyFor(pc, partner) || !readyFor(partner, pc)) return;
  for (const one of [pc, partner]) {
    if (one.connectionState === 'connected') continue;
    one.connectionState = 'connected';
    setTimeout(() => one.onconnectionstatechange?.({}), 0);
  }
  openChannels(pc);
}

/** @param {FakePeerConnection} pc */
export function openChannels(pc) {
  const partner = pc._partner();
  if (!partner || partner.connectionState !== 'connected') return;
  for (const mine of pc.channels) {
    const theirs = partner.channels.find((c) => c.negotiated && c.id === mine.id && c.readyState === 'connecting');
    if (mine.negotiated && mine.readyState === 'connecting' && theirs) {
      mine._open(theirs);
      theirs._open(mine);
    }
  }
}
