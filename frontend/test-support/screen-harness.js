// Test helpers for screen share: a client of the fake server (call-harness.js) whose mesh
// reports camera tracks and screen shares, with a camera stream of its own; and a call of
// several such clients, every pair connected.

import { Mesh } from '../src/call/mesh.js';
import { Multiplexer } from '../src/mux/multiplexer.js';
import { FakePeerConnection, FakeStream, FakeTrack } from './fake-rtc.js';
import { until } from './wire.js';

/**
 * @param {import('./call-harness.js').FakeServer} server
 * @param {string} name
 * @param {{camera?: boolean}} [options] camera false: no local stream at all (watch only)
 */
export function screenClient(server, name, { camera = true } = {}) {
  /** @type {string[]} */
  const errors = [];
  /** @type {Record<string, (MediaStream | null)[]>} participant id → every onScreen, in order */
  const screens = {};
  /** @type {Record<string, string[]>} participant id → ids of the tracks sent to the camera tile */
  const cameraTracks = {};
  /** @type {Record<string, string[]>} participant id → names the mesh gave with onScreen */
  const names = {};
  const mux = new Multiplexer({ onError: (what, error) => errors.push(`${what}: ${error}`) });
  /** @type {(destination: string, body: any) => boolean} */
  let transport = () => false;
  const mesh = new Mesh({
    multiplexer: mux,
    send: (destination, body) => transport(destination, JSON.parse(JSON.stringify(body))),
    RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
    events: {
      onTrack: (id, track) => (cameraTracks[id] ??= []).push(track.id),
      onScreen: (id, stream, shownName) => {
        (screens[id] ??= []).push(stream);
        (names[id] ??= []).push(shownName);
      },
      onError: (what, error) => errors.push(`${what}: ${/** @type {Error} */ (error).message}`),
    },
  });
  const endpoint = { mux, mesh };
  transport = server.transport(endpoint, name);
  if (camera) {
    mesh.setLocalStream(/** @type {any} */ (new FakeStream(`cam-${name}`, [new FakeTrack('audio', `${name}-mic`), new FakeTrack('video', `${name}-cam`)])));
  }
  const pc = (/** @type {string} */ id) => /** @type {FakePeerConnection} */ (/** @type {unknown} */ (mesh.peers.get(id)?.pc));
  /** The screen of that participant this client shows now, or null. */
  const screenOf = (/** @type {string} */ id) => screens[id]?.at(-1) ?? null;
  return { ...endpoint, name, errors, screens, cameraTracks, names, pc, screenOf };
}

/** @typedef {ReturnType<typeof screenClient>} ScreenClient */

/**
 * A screen stream as getDisplayMedia gives it.
 * @param {string} id
 * @param {{audio?: boolean}} [options]
 */
export function screenStream(id, { audio = true } = {}) {
  const tracks = [new FakeTrack('video', `${id}-video`)];
  if (audio) tracks.push(new FakeTrack('audio', `${id}-audio`));
  return new FakeStream(id, tracks);
}

/**
 * Every pair of the clients connected, stable, and over the features channel.
 * @param {ScreenClient[]} clients
 */
export function allSettled(clients) {
  return clients.every((c) => {
    const others = clients.filter((o) => o !== c);
    return (
      c.mesh.peers.size === others.length &&
      [...c.mesh.peers.values()].every(
        (peer) => peer.pc.connectionState === 'connected' && peer.pc.signalingState === 'stable' && peer.remoteFeatures !== null,
      )
    );
  });
}

/**
 * Joins the clients one after the other (each waits for the previous) and waits until all pairs are up.
 * @param {ScreenClient[]} clients
 */
export async function joinAll(clients) {
  for (const c of clients) {
    c.mesh.join('standup');
    await until(() => c.mesh.selfId !== null, `${c.name} in the call`);
  }
  await until(() => allSettled(clients), 'every pair connected and stable', 4000);
}

/** @param {ScreenClient[]} clients */
export function leaveAll(clients) {
  for (const c of clients) c.mesh.leave();
}
