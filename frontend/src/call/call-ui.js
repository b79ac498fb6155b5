// The call as the room page shows it: status line, join / leave, mic and camera toggles, the
// self tile and the remote tiles. Remote tiles come from the server (htmx out-of-band swaps);
// this module only fills them in: stream, connection badge, microphone / camera state, and a
// plain explanation when a connection cannot be made.
// Everything goes through the document handed in; nothing runs at import time.

import { problemKind } from './ice.js';

/**
 * @typedef {import('./peer.js').Features} Features
 * @typedef {import('./ice.js').ConnectionProblem} ConnectionProblem
 * @typedef {import('./media.js').LocalMedia} LocalMedia
 * @typedef {'info' | 'ok' | 'warn' | 'error'} Tone
 * @typedef {'out' | 'joining' | 'waiting' | 'in'} CallState waiting: in the room's waiting room, for the owner to let us in
 * @typedef {'refused' | 'removed'} CallOutcome why the page is out of the call, when the server said so
 */

/**
 * What a tile says about someone's microphone and camera ("" when both are on).
 * @param {Features} features
 */
export function mediaStateText({ mic, cam }) {
  return [mic ? null : 'Muted', cam ? null : 'Camera off'].filter(Boolean).join(' · ');
}

/**
 * The badge a remote tile shows for its peer connection state ("" when there is nothing to say).
 * @param {string} state RTCPeerConnection.connectionState
 */
export function connectionLabel(state) {
  switch (state) {
    case 'new':
    case 'connecting':
      return 'Connecting…';
    case 'disconnected':
      return 'Reconnecting…';
    case 'failed':
      return 'Connection failed';
    default:
      return '';
  }
}

/**
 * What a tile says when the connection to its participant cannot be made.
 * @param {string} name the participant's screen name
 * @param {ConnectionProblem} problem
 */
export function connectionProblemText(name, problem) {
  const who = name || 'this participant';
  const cant = `Can't connect to ${who}.`;
  const direct = problem.relayOnly
    ? 'This room allows relayed connections only.'
    : 'A direct connection failed too.';
  switch (problemKind(problem)) {
    case 'no-answer':
      return `${cant} Their browser did not answer the call setup.`;
    case 'hidden-address':
      return problem.localHidden
        ? `${cant} Without camera or microphone permission your browser hides this device's network address, and no TURN relay is configured to connect through instead. Allowing the camera or microphone and rejoining may help.`
        : `${cant} ${who}'s browser hides its network address (it has no camera or microphone permission), and no TURN relay is configured to connect through instead.`;
    case 'no-turn':
      return problem.relayOnly
        ? `${cant} This room allows relayed connections only, but no TURN relay is configured.`
        : `${cant} No TURN relay is configured, and a direct connection failed.`;
    case 'turn-refused':
      return `${cant} The TURN relay refused our credentials. ${direct}`;
    case 'turn-unreachable':
      return `${cant} The TURN relay did not answer (or refused our credentials). ${direct}`;
    case 'relay-failed':
      return `Can't connect to ${who} ${problem.relayOnly ? 'through the TURN relay' : 'directly or through the TURN relay'}. We reached the relay, so the trouble may be on ${who}'s side.`;
  }
}

export class CallUi {
  #doc;
  /** @type {Map<string, MediaStream>} remote streams built from bare tracks */
  #streams = new Map();
  #soundBlocked = false;

  /** @param {Document} doc */
  constructor(doc) {
    this.#doc = doc;
  }

  /**
   * @param {string} text
   * @param {Tone} [tone]
   */
  status(text, tone = 'info') {
    const line = this.#byId('call-status');
    if (!line) return;
    line.textContent = text;
    line.dataset.tone = tone;
  }

  /** @param {string | null} text a camera / microphone problem, or null when there is none */
  mediaProblem(text) {
    const notice = this.#byId('media-problem');
    if (!notice) return;
    notice.textContent = text ?? '';
    notice.hidden = !text;
  }

  /** @param {CallState} state */
  setCallState(state) {
    const join = /** @type {HTMLButtonElement | null} */ (this.#byId('join'));
    const leave = /** @type {HTMLButtonElement | null} */ (this.#byId('leave'));
    if (join) {
      join.hidden = state === 'in';
      join.disabled = state === 'joining';
      join.setAttribute('aria-busy', String(state === 'joining'));
      const label = join.querySelector('.label') ?? join;
      label.textContent = state === 'joining' ? 'Joining…' : state === 'waiting' ? 'Stop waiting' : 'Join call';
    }
    if (leave) {
      leave.hidden = state !== 'in';
      leave.disabled = false;
    }
    this.#doc.body.dataset.call = state;
    if (state === 'in' && leave && this.#doc.activeElement === join) leave.focus();
    if (state === 'out' && join && this.#doc.activeElement === leave) join.focus();
  }

  /**
   * Why the page is out of the call, for styles and browser tests: body data-outcome ("refused",
   * with the reason in data-refusal, or "removed"); null clears both.
   * @param {CallOutcome | null} outcome
   * @param {string} [reason] for "refused": locked, full, removed or refused
   */
  setOutcome(outcome, reason) {
    const data = this.#doc.body.dataset;
    if (outcome) data.outcome = outcome;
    else delete data.outcome;
    if (outcome === 'refused' && reason) data.refusal = reason;
    else delete data.refusal;
  }

  /**
   * The state of the connection to the server, for the page's styles and for browser tests.
   * @param {'connecting' | 'connected' | 'reconnecting'} state
   */
  setSignaling(state) {
    this.#doc.body.dataset.signaling = state;
  }

  /** @param {RTCIceTransportPolicy | null} policy the call's, or null out of a call */
  setIcePolicy(policy) {
    if (policy) this.#doc.body.dataset.icePolicy = policy;
    else delete this.#doc.body.dataset.icePolicy;
  }

  /**
   * Our camera on the self tile, the toggles, and what is missing.
   * @param {LocalMedia} media
   * @param {{on?: {mic: boolean, cam: boolean}, available?: {mic: boolean, cam: boolean}}} [toggles]
   *   what the toggles show: by default on where there is a track, disabled where there is none
   */
  showLocalMedia(media, { on, available } = {}) {
    const video = /** @type {HTMLVideoElement | null} */ (this.#byId('tile-self')?.querySelector('video') ?? null);
    if (video && video.srcObject !== media.stream) {
      video.srcObject = media.stream; // null after a leave: the camera is off
      if (media.stream) video.play().catch(() => {}); // muted: autoplay is allowed; nothing to tell the user
    }
    const has = available ?? { mic: media.audio, cam: media.video };
    const shown = on ?? has;
    this.setDevice('mic', shown.mic, has.mic);
    this.setDevice('cam', shown.cam, has.cam);
    this.mediaProblem(media.problem);
  }

  /**
   * Shows one of our devices as on or off, on its toggle and on the self tile.
   * @param {'mic' | 'cam'} kind
   * @param {boolean} on
   * @param {boolean} available false: there is no such track, the toggle is disabled
   */
  setDevice(kind, on, available) {
    const button = /** @type {HTMLButtonElement | null} */ (this.#byId(kind === 'mic' ? 'toggle-mic' : 'toggle-cam'));
    if (button) {
      button.setAttribute('aria-pressed', String(on));
      button.disabled = !available;
      const what = kind === 'mic' ? 'microphone' : 'camera';
      button.title = available ? `Turn your ${what} ${on ? 'off' : 'on'}` : `No ${what} available`;
    }
    const self = this.#byId('tile-self');
    if (self) {
      self.dataset[kind] = on ? 'on' : 'off';
      this.#writeMediaState(self);
    }
  }

  /**
   * A peer exists for a participant (new, or replacing a closed one): its tile (rendered by the
   * server) says "connecting"; what an earlier connection found wrong is no longer news.
   * @param {string} id
   */
  peerAdded(id) {
    this.#streams.delete(id); // a new connection brings new tracks
    this.peerState(id, 'new');
    // The live region exists before anything is said in it, or screen readers may miss it.
    const tile = this.#remoteTile(id);
    if (!tile) return;
    const note = this.#problemNote(tile);
    if (tile.dataset.problem) {
      delete tile.dataset.problem;
      note.textContent = '';
    }
  }

  /**
   * Says on the participant's tile that (and why) the connection cannot be made, or takes
   * that back (problem null).
   * @param {string} id
   * @param {string} name
   * @param {ConnectionProblem | null} problem
   */
  peerProblem(id, name, problem) {
    const tile = this.#remoteTile(id);
    if (!tile) return;
    const note = this.#problemNote(tile);
    if (!problem) {
      delete tile.dataset.problem;
      note.textContent = '';
      return;
    }
    tile.dataset.problem = problemKind(problem);
    const shownName = name || tile.querySelector('.name')?.textContent?.trim() || '';
    note.textContent = connectionProblemText(shownName, problem);
  }

  /**
   * @param {string} id
   * @param {string} state RTCPeerConnection.connectionState
   */
  peerState(id, state) {
    const tile = this.#remoteTile(id);
    if (!tile) return;
    tile.dataset.connection = state;
    let badge = tile.querySelector('.connection');
    if (!badge) {
      badge = this.#doc.createElement('span');
      badge.className = 'connection';
      badge.setAttribute('role', 'status');
      tile.append(badge);
    }
    badge.textContent = connectionLabel(state);
  }

  /**
   * Attaches a remote track to the participant's tile.
   * @param {string} id
   * @param {string} name
   * @param {MediaStreamTrack} track
   * @param {readonly MediaStream[]} streams
   */
  peerTrack(id, name, track, streams) {
    const tile = this.#remoteTile(id) ?? this.#fallbackTile(id, name);
    const video = tile.querySelector('video');
    if (!video) return;
    let stream = streams[0];
    if (!stream) {
      stream = this.#streams.get(id) ?? new MediaStream();
      this.#streams.set(id, stream);
      stream.addTrack(track);
    }
    if (video.srcObject !== stream) video.srcObject = stream;
    this.#play(video);
  }

  /**
   * @param {string} id
   * @param {Features} features
   */
  peerFeatures(id, features) {
    const tile = this.#remoteTile(id);
    if (!tile) return;
    tile.dataset.mic = features.mic ? 'on' : 'off';
    tile.dataset.cam = features.cam ? 'on' : 'off';
    this.#writeMediaState(tile);
  }

  /** @param {string} id */
  removeTile(id) {
    this.#streams.delete(id);
    this.#remoteTile(id)?.remove();
  }

  clearRemoteTiles() {
    this.#streams.clear();
    for (const tile of this.#doc.querySelectorAll('#tiles .tile.remote')) tile.remove();
  }

  /** @param {string} id */
  hasTile(id) {
    return this.#remoteTile(id) !== null;
  }

  /**
   * Every remote tile: its participant and the roster version it was rendered at.
   * @returns {import('./roster.js').TileInfo[]}
   */
  remoteTiles() {
    return [...this.#doc.querySelectorAll('#tiles .tile.remote')].map((element) => {
      const tile = /** @type {HTMLElement} */ (element);
      const version = Number(tile.dataset.version ?? NaN);
      return { id: tile.dataset.participant ?? tile.id.replace(/^tile-/, ''), version: Number.isFinite(version) ? version : null };
    });
  }

  /**
   * Marks the tiles of the roster's away participants (data-away="true"), unmarks the others.
   * @param {Map<string, boolean>} members participant id → away
   */
  markAway(members) {
    for (const [id, away] of members) {
      const tile = this.#remoteTile(id);
      if (!tile) continue;
      if (away) tile.dataset.away = 'true';
      else delete tile.dataset.away;
    }
  }

  /** @param {string} id */
  #remoteTile(id) {
    const tile = this.#byId(`tile-${id}`);
    return tile?.classList.contains('remote') ? tile : null;
  }

  /**
   * Only if the server's tile never came: the same markup as docs/protocol.md, built safely.
   * @param {string} id
   * @param {string} name
   */
  #fallbackTile(id, name) {
    const doc = this.#doc;
    const tile = doc.createElement('figure');
    tile.className = 'tile remote';
    tile.id = `tile-${id}`;
    tile.dataset.participant = id;
    tile.dataset.mic = 'on';
    tile.dataset.cam = 'on';
    const video = doc.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = doc.createElement('figcaption');
    const nameSpan = doc.createElement('span');
    nameSpan.className = 'name';
    nameSpan.textContent = name;
    const state = doc.createElement('span');
    state.className = 'media-state';
    state.setAttribute('aria-live', 'polite');
    caption.append(nameSpan, state);
    tile.append(video, caption);
    this.#byId('tiles')?.append(tile);
    return tile;
  }

  /**
   * The tile's problem note: over the picture, under the name.
   * @param {HTMLElement} tile
   */
  #problemNote(tile) {
    let note = tile.querySelector('.problem');
    if (!note) {
      note = this.#doc.createElement('p');
      note.className = 'problem';
      note.setAttribute('role', 'status');
      note.setAttribute('aria-live', 'polite');
      note.setAttribute('aria-atomic', 'true');
      const video = tile.querySelector('video');
      if (video) video.after(note);
      else tile.prepend(note);
    }
    return note;
  }

  /** @param {HTMLElement} tile */
  #writeMediaState(tile) {
    const state = tile.querySelector('.media-state');
    if (state) state.textContent = mediaStateText({ mic: tile.dataset.mic !== 'off', cam: tile.dataset.cam !== 'off' });
  }

  /**
   * Plays a remote video; if the browser refuses sound before a click, plays it muted and
   * asks for a click to unmute everything.
   * @param {HTMLVideoElement} video
   */
  #play(video) {
    video.play().catch((error) => {
      if (error?.name !== 'NotAllowedError') return;
      video.muted = true;
      video.play().catch(() => {});
      if (this.#soundBlocked) return;
      this.#soundBlocked = true;
      this.status('Your browser paused the sound. Click anywhere on the page to hear the others.', 'warn');
      this.#doc.addEventListener(
        'click',
        () => {
          this.#soundBlocked = false;
          for (const v of this.#doc.querySelectorAll('#tiles .tile.remote video, #tiles .tile.screen:not(.self) video')) {
            const remote = /** @type {HTMLVideoElement} */ (v);
            remote.muted = false;
            remote.play().catch(() => {});
          }
          this.status('You are in the call.', 'ok');
        },
        { once: true },
      );
    });
  }

  /** @param {string} id */
  #byId(id) {
    return this.#doc.getElementById(id);
  }
}
