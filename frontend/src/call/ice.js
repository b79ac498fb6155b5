// ICE facts the call needs to explain itself: is TURN configured, did we get a relay candidate,
// and what to call a connection that could not be made. No DOM, no timers.

/**
 * Why a peer connection could not be made, as far as this side can tell.
 * @typedef {object} ConnectionProblem
 * @property {'failed' | 'timeout'} reason ICE failed, or the connection was not up in time
 * @property {boolean} answered the other side's description arrived (signalling worked)
 * @property {boolean} turnConfigured our ICE servers include a turn: or turns: URL
 * @property {boolean} turnReachable we gathered at least one local relay candidate
 * @property {boolean} turnRefused a TURN server answered our allocation with an auth error
 * @property {boolean} relayOnly iceTransportPolicy "relay": no direct path was tried
 * @property {boolean} [localHidden] every host candidate we gathered hid our address behind an mDNS name
 * @property {boolean} [remoteHidden] every host candidate they sent hid their address behind an mDNS name
 *
 * @typedef {'no-answer' | 'hidden-address' | 'no-turn' | 'turn-refused' | 'turn-unreachable' | 'relay-failed'} ProblemKind
 */

/** SEND here (body {}) for fresh TURN credentials; the answer is the rtc event "ice". */
export const ICE_DESTINATION = '/app/ice';

/** @param {unknown} url */
const isTurnUrl = (url) => typeof url === 'string' && /^turns?:/i.test(url.trim());

/**
 * Whether any of these ICE servers is a TURN server.
 * @param {readonly RTCIceServer[] | undefined | null} iceServers
 */
export function hasTurn(iceServers) {
  return (iceServers ?? []).some(({ urls }) => (Array.isArray(urls) ? urls.some(isTurnUrl) : isTurnUrl(urls)));
}

/**
 * The type of a gathered candidate: RTCIceCandidate.type, or read from the candidate line.
 * @param {{type?: string | null, candidate?: string} | null | undefined} candidate
 * @returns {string | null} host, srflx, prflx, relay; null when unknown
 */
export function candidateType(candidate) {
  if (!candidate) return null;
  if (candidate.type) return candidate.type;
  return / typ (\w+)/.exec(candidate.candidate ?? '')?.[1] ?? null;
}

/**
 * Whether a candidate is a host candidate whose address is an mDNS name (x.local): browsers hide
 * the real address until the page may use a camera or microphone.
 * @param {{candidate?: string, address?: string | null} | null | undefined} candidate
 */
export function isHiddenHost(candidate) {
  if (!candidate || candidateType(candidate) !== 'host') return false;
  const address = candidate.address ?? / (?:udp|tcp) \d+ (\S+) \d+ typ /i.exec(candidate.candidate ?? '')?.[1] ?? '';
  return /\.local\.?$/i.test(address);
}

/**
 * Counts host candidates, ours and theirs, and how many of them hid the address (mDNS): a
 * diagnosis then says whether every host address of a side was hidden.
 */
export class HostCandidates {
  #local = { all: 0, hidden: 0 };
  #remote = { all: 0, hidden: 0 };

  /** @param {'local' | 'remote'} side @param {{candidate?: string, address?: string | null} | null | undefined} candidate */
  saw(side, candidate) {
    if (candidateType(candidate) !== 'host') return;
    const tally = side === 'local' ? this.#local : this.#remote;
    tally.all++;
    if (isHiddenHost(candidate)) tally.hidden++;
  }

  /** @returns {{localHidden: boolean, remoteHidden: boolean}} */
  findings() {
    const allHidden = (/** @type {{all: number, hidden: number}} */ t) => t.all > 0 && t.hidden === t.all;
    return { localHidden: allHidden(this.#local), remoteHidden: allHidden(this.#remote) };
  }
}

/**
 * Whether the stats list a local relay candidate. Browsers may list only candidates that are in
 * a pair, so this backs up, not replaces, watching icecandidate events.
 * @param {{getStats?: () => Promise<RTCStatsReport>}} pc
 */
export async function relayInStats(pc) {
  if (typeof pc.getStats !== 'function') return false;
  try {
    const stats = await pc.getStats();
    let found = false;
    stats.forEach((/** @type {any} */ report) => {
      if (report.type === 'local-candidate' && report.candidateType === 'relay') found = true;
    });
    return found;
  } catch {
    return false; // a closed pc: nothing to learn
  }
}

/**
 * Whether an icecandidateerror means a TURN server turned our credentials down (STUN 401 / 403).
 * @param {{url?: string, errorCode?: number} | null | undefined} event
 */
export function isTurnAuthError(event) {
  return !!event && isTurnUrl(event.url) && (event.errorCode === 401 || event.errorCode === 403);
}

/**
 * @param {ConnectionProblem} problem
 * @returns {ProblemKind}
 */
export function problemKind({ answered, turnConfigured, turnReachable, turnRefused, localHidden, remoteHidden }) {
  // Without their description no ICE check could run: saying anything about TURN would be a guess.
  if (!answered) return 'no-answer';
  // A browser without camera or microphone permission names its host candidates x.local (mDNS):
  // where that name does not resolve, no direct path exists, and that, not TURN, is the news.
  if (!turnConfigured && (localHidden || remoteHidden)) return 'hidden-address';
  if (!turnConfigured) return 'no-turn';
  if (turnReachable) return 'relay-failed';
  return turnRefused ? 'turn-refused' : 'turn-unreachable';
}

/**
 * Whether two findings say the same (the reason aside: a timeout, then "failed", is one finding).
 * @param {ConnectionProblem} a
 * @param {ConnectionProblem} b
 */
export function sameFinding(a, b) {
  return (
    a.answered === b.answered &&
    a.turnConfigured === b.turnConfigured &&
    a.turnReachable === b.turnReachable &&
    a.turnRefused === b.turnRefused &&
    a.relayOnly === b.relayOnly &&
    !!a.localHidden === !!b.localHidden &&
    !!a.remoteHidden === !!b.remoteHidden
  );
}

/**
 * A gathered candidate as it goes over the wire.
 * @param {RTCIceCandidate | null} candidate
 * @returns {RTCIceCandidateInit | null} null marks the end of candidates
 */
export function candidateJson(candidate) {
  if (!candidate) return null;
  return typeof candidate.toJSON === 'function' ? candidate.toJSON() : candidate;
}
