// The SDP of the fake RTCPeerConnection (fake-rtc.js): how a description names the tracks and
// transceivers a pc sends, how an answer places our tracks in the sections of a remote offer, and
// what the tracks a remote description names become here ("track", remote streams, "removetrack").
// Kept out of fake-rtc.js, whose state machine only sets descriptions, so each reads on its own.
//
// The SDP is JSON: {ufrag, tracks: [{id, kind, stream}], data}; a transceiver's entry also has
// {mid, send} (send false: a section that carries nothing, e.g. "inactive" or "recvonly").
// As in JSEP, only addTrack senders take a section of a remote offer, never an addTransceiver one.
// A section that stops sending takes its track out of the remote stream ("removetrack", muted).

import { mediaError } from './fake-media.js';
import { FakeStream, FakeTrack, sends } from './fake-tracks.js';

/** @typedef {import('./fake-rtc.js').FakePeerConnection} FakePeerConnection */
/** @typedef {import('./fake-tracks.js').FakeSenderEntry} FakeSenderEntry */

/** @param {{sdp?: string} | null} description */
export function parseSdp(description) {
  try {
    const parsed = JSON.parse(description?.sdp ?? '');
    if (typeof parsed.ufrag !== 'string' || !Array.isArray(parsed.tracks)) throw new Error('bad shape');
    return parsed;
  } catch {
    throw mediaError('OperationError', `unparseable SDP: ${description?.sdp}`);
  }
}

/** The SDP of a description of these senders. @param {FakePeerConnection} pc @param {FakeSenderEntry[]} senders */
export function writeSdp(pc, senders) {
  return JSON.stringify({
    ufrag: pc.ufrag,
    tracks: senders.map(({ track, stream, transceiver, mid, kind, direction }) =>
      transceiver
        ? { id: track?.id ?? null, kind, stream: stream?.id, mid, send: !!track && sends(direction) }
        : { id: /** @type {FakeTrack} */ (track).id, kind: /** @type {FakeTrack} */ (track).kind, stream: stream?.id },
    ),
    data: pc.channels.length > 0,
  });
}

/** For an answer: our unplaced addTrack senders get a mid where the remote offer has room. @param {FakePeerConnection} pc */
export function placeInRemoteOffer(pc) {
  // Each section of the remote offer takes one unplaced local track of its kind.
  const offered = parseSdp(pc.remoteDescription).tracks.map((/** @type {{kind: string}} */ t) => t.kind);
  // (A transceiver of ours has a section of its own, and never takes one of theirs.)
  for (const sender of pc.senders) {
    if (sender.mid !== null && !(/** @type {FakeSenderEntry} */ (sender).transceiver)) {
      const at = offered.indexOf(sender.track.kind);
      if (at >= 0) offered.splice(at, 1);
    }
  }
  for (const sender of pc.senders) {
    if (/** @type {FakeSenderEntry} */ (sender).transceiver) continue;
    const at = sender.mid === null ? offered.indexOf(sender.track.kind) : -1;
    if (at < 0) continue;
    offered.splice(at, 1);
    sender.mid = `${pc._nextMid++}`;
  }
}

/**
 * The tracks of a remote description: new ones fire "track", silent sections lose theirs.
 * @param {FakePeerConnection} pc
 * @param {{id: string, kind: string, stream?: string, mid?: string, send?: boolean}[]} tracks
 */
export function announceTracks(pc, tracks) {
  for (const { id, kind, stream, mid, send } of tracks) {
    if (send === false) {
      removeRemote(pc, mid);
      continue;
    }
    if (pc._seenTracks.has(id)) continue;
    pc._seenTracks.add(id);
    const track = new FakeTrack(kind, id);
    const streams = stream ? [remoteStream(pc, stream, track)] : [];
    if (mid !== undefined) {
      removeRemote(pc, mid);
      pc._remoteByMid.set(mid, { track, stream: streams[0] });
    }
    setTimeout(() => pc.ontrack?.({ track, streams }), 0);
  }
}

/**
 * The remote stream of that id, as browsers keep one per msid; with the track added.
 * @param {FakePeerConnection} pc @param {string} id @param {FakeTrack} track
 */
function remoteStream(pc, id, track) {
  const stream = pc._remoteStreams.get(id) ?? new FakeStream(id, []);
  pc._remoteStreams.set(id, stream);
  stream.addTrack(track);
  return stream;
}

/** A remote section stopped sending: its track leaves its stream. @param {FakePeerConnection} pc @param {string | undefined} mid */
function removeRemote(pc, mid) {
  const remote = mid === undefined ? undefined : pc._remoteByMid.get(mid);
  if (!remote || mid === undefined) return;
  pc._remoteByMid.delete(mid);
  remote.track.muted = true;
  remote.track._emit('mute');
  if (!remote.stream) return;
  remote.stream.removeTrack(remote.track);
  const stream = remote.stream;
  setTimeout(() => stream._emit('removetrack', { track: remote.track }), 0);
}
