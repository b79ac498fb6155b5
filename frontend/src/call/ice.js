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
 *
 * @typedef {'no-answer' | 'no-turn' | 'turn-refused' | 'turn-unreachable' | 'relay-failed'} ProblemKind
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
export function problemKind({ answered, turnConfigured, turnReachable, turnRefused }) {
  // Without their description no ICE check could run: saying anything about TURN would be a guess.
  if (!answered) return 'no-answer';
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
    a.relayOnly === b.relayOnly
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
