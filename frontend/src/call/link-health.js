// How one link of the mesh is doing, in plain words: a level from round-trip time and loss, the
// path the media takes (direct, or through which kind of TURN relay), and the sentences the tile
// indicator and the call health panel show. Pure: no DOM, no timers.
//
// Thresholds (the worse of the two figures decides):
//   poor  loss > 5 %  or round trip > 400 ms   speech breaks up, video freezes
//   fair  loss > 2 %  or round trip > 200 ms   noticeable: talk-over, some artefacts
//   good  otherwise, once either figure is known
//   unknown  neither figure is known yet (not connected, or the first second of stats)
// 200 / 400 ms follow ITU-T G.114's one-way delay bands (150 / 400 ms) for a round trip; Opus
// with FEC hides about 2 % loss, beyond 5 % it is audible in every sentence.

/**
 * The figures of one link, as the stats poller measures them (null: not known yet).
 * @typedef {object} LinkFigures
 * @property {number | null} rttMs round-trip time
 * @property {number | null} lossPct packets lost, in either direction (the worse), 0..100
 * @property {number | null} [inBps] media received
 * @property {number | null} [outBps] media sent
 * @property {string | null} [path] see describePath
 *
 * @typedef {'good' | 'fair' | 'poor' | 'unknown'} LinkLevel
 */

export const POOR_LOSS_PCT = 5;
export const POOR_RTT_MS = 400;
export const FAIR_LOSS_PCT = 2;
export const FAIR_RTT_MS = 200;

/** @param {unknown} value @returns {value is number} */
const known = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * @param {Pick<LinkFigures, 'rttMs' | 'lossPct'>} figures
 * @returns {LinkLevel}
 */
export function linkLevel({ rttMs, lossPct }) {
  const rtt = known(rttMs) ? rttMs : null;
  const loss = known(lossPct) ? lossPct : null;
  if (rtt === null && loss === null) return 'unknown';
  if ((loss ?? 0) > POOR_LOSS_PCT || (rtt ?? 0) > POOR_RTT_MS) return 'poor';
  if ((loss ?? 0) > FAIR_LOSS_PCT || (rtt ?? 0) > FAIR_RTT_MS) return 'fair';
  return 'good';
}

/**
 * The path of the selected candidate pair, in words.
 * @param {string | null | undefined} localType host, srflx, prflx, relay
 * @param {string | null | undefined} remoteType
 * @param {string | null | undefined} relayProtocol the local relay candidate's: udp, tcp, tls
 * @returns {string | null} null when no pair is selected yet
 */
export function describePath(localType, remoteType, relayProtocol) {
  if (!localType && !remoteType) return null;
  if (localType === 'relay') {
    const protocol = ['udp', 'tcp', 'tls'].includes(String(relayProtocol).toLowerCase()) ? String(relayProtocol).toUpperCase() : null;
    return protocol ? `relayed through TURN over ${protocol}` : 'relayed through TURN';
  }
  // Their relay: we only see its address, not how they reach it.
  if (remoteType === 'relay') return "relayed through the other side's TURN server";
  return 'direct';
}

/** @param {number | null | undefined} bps @returns {string} */
export function formatBitrate(bps) {
  if (!known(bps)) return 'unknown';
  if (bps >= 1_000_000) return `${(bps / 1_000_000).toFixed(1)} Mbit/s`;
  return `${Math.round(bps / 1000)} kbit/s`;
}

/** @param {number | null | undefined} ms */
export function formatRtt(ms) {
  return known(ms) ? `${Math.round(ms)} ms round trip` : 'round trip unknown';
}

/** @param {number | null | undefined} pct */
export function formatLoss(pct) {
  if (!known(pct)) return 'loss unknown';
  if (pct < 0.05) return 'no loss';
  return `${pct < 10 ? Number(pct.toFixed(1)) : Math.round(pct)} % of packets lost`;
}

/** @param {LinkLevel} level */
export function levelWord(level) {
  return { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Unknown' }[level] ?? 'Unknown';
}

/**
 * The indicator's tooltip and label: "Good connection to bob: 40 ms round trip, no loss, 1.2 Mbit/s in".
 * @param {string} name
 * @param {LinkFigures} figures
 */
export function describeLink(name, figures) {
  const level = linkLevel(figures);
  if (level === 'unknown') return `Connection to ${name}: measuring…`;
  const parts = [formatRtt(figures.rttMs), formatLoss(figures.lossPct)];
  if (known(figures.inBps)) parts.push(`${formatBitrate(figures.inBps)} in`);
  return `${levelWord(level)} connection to ${name}: ${parts.join(', ')}`;
}

/**
 * Why a link is at its level, the figure that decided it: "9 % of packets lost".
 * @param {LinkFigures} figures
 */
export function reasonOf(figures) {
  const level = linkLevel(figures);
  const [lossLimit, rttLimit] = level === 'poor' ? [POOR_LOSS_PCT, POOR_RTT_MS] : [FAIR_LOSS_PCT, FAIR_RTT_MS];
  const reasons = [];
  if (known(figures.lossPct) && figures.lossPct > lossLimit) reasons.push(formatLoss(figures.lossPct));
  if (known(figures.rttMs) && figures.rttMs > rttLimit) reasons.push(formatRtt(figures.rttMs));
  return reasons.join(' and ');
}

/** @param {string[]} names @returns {string} "bob", "bob and carol", "bob, carol and dan" */
function listOf(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** @param {number} n @param {string} one @param {string} many */
const plural = (n, one, many) => (n === 1 ? one : many);

/**
 * One sentence about every link this page holds, worst first.
 * @param {readonly (LinkFigures & {name: string})[]} links
 */
export function healthSummary(links) {
  if (links.length === 0) return 'Nobody else is connected yet.';
  const levels = links.map((link) => ({ link, level: linkLevel(link) }));
  for (const bad of /** @type {const} */ (['poor', 'fair'])) {
    const worst = levels.filter((x) => x.level === bad).map((x) => x.link);
    if (worst.length === 1) return `Your connection to ${worst[0].name} is ${bad}: ${reasonOf(worst[0])}.`;
    if (worst.length > 1) {
      const detail = worst.map((link) => `${link.name} (${reasonOf(link)})`);
      return `${worst.length} of ${links.length} connections are ${bad}: ${listOf(detail)}.`;
    }
  }
  const measuring = levels.filter((x) => x.level === 'unknown').length;
  const good = links.length - measuring;
  if (measuring === links.length) return `Measuring ${plural(measuring, 'the connection', `the ${measuring} connections`)}…`;
  if (measuring > 0) return `${good} ${plural(good, 'connection is', 'connections are')} good; still measuring ${measuring}.`;
  if (links.length === 1) return `Your connection to ${links[0].name} is good.`;
  return `All ${links.length} connections are good.`;
}
