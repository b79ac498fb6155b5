// The tiles of screen shares in #tiles: one per participant who shares a screen
// (figure.tile.screen#screen-<id> with data-screen-of=<id>: not .remote, which is a camera tile, "‹name›'s screen"; its sound plays through its video),
// and the preview of our own (figure.tile.screen.self#screen-self, "Your screen", muted).
// data-shared-at (Date.now() when the share appeared here) lets the layout show the latest share
// largest. Everything goes through the document handed in; the state is the DOM itself.

/**
 * @typedef {object} ScreenTiles
 * @property {(id: string, name: string, stream: MediaStream) => void} show a participant's screen share
 * @property {(id: string) => void} remove
 * @property {(stream: MediaStream) => void} showSelf our own share's preview
 * @property {() => void} removeSelf
 * @property {() => void} clear every screen tile (the call is over)
 */

export const SELF_SCREEN_ID = 'screen-self';

/** @param {string} id a participant id */
export const screenTileId = (id) => `screen-${id}`;

/** @param {string} name */
export const screenLabel = (name) => (name ? `${name}'s screen` : "A participant's screen");

/**
 * @param {object} options
 * @param {Document} options.doc
 * @param {() => number} [options.now]
 * @returns {ScreenTiles}
 */
export function createScreenTiles({ doc, now = () => Date.now() }) {
  /**
   * @param {string} elementId
   * @param {string} className
   * @param {string} label
   * @param {MediaStream} stream
   * @param {boolean} muted
   */
  const place = (elementId, className, label, stream, muted) => {
    let tile = /** @type {HTMLElement | null} */ (doc.getElementById(elementId));
    if (!tile) {
      tile = doc.createElement('figure');
      tile.className = className;
      tile.id = elementId;
      const video = doc.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = muted;
      const caption = doc.createElement('figcaption');
      const name = doc.createElement('span');
      name.className = 'name';
      caption.append(name);
      tile.append(video, caption);
      doc.getElementById('tiles')?.append(tile);
    }
    const name = tile.querySelector('.name');
    if (name) name.textContent = label;
    const video = /** @type {HTMLVideoElement | null} */ (tile.querySelector('video'));
    if (video && video.srcObject !== stream) {
      tile.dataset.sharedAt = String(now()); // a new share: the newest
      video.srcObject = stream;
      play(video);
    }
    return tile;
  };

  /** @param {string} id */
  const cameraName = (id) => doc.getElementById(`tile-${id}`)?.querySelector('.name')?.textContent?.trim() ?? '';

  return {
    show(id, name, stream) {
      const tile = place(screenTileId(id), 'tile screen', screenLabel(name || cameraName(id)), stream, false);
      tile.dataset.screenOf = id;
    },
    remove(id) {
      doc.getElementById(screenTileId(id))?.remove();
    },
    showSelf(stream) {
      place(SELF_SCREEN_ID, 'tile screen self', 'Your screen', stream, true);
    },
    removeSelf() {
      doc.getElementById(SELF_SCREEN_ID)?.remove();
    },
    clear() {
      for (const tile of doc.querySelectorAll('#tiles .tile.screen')) tile.remove();
    },
  };
}

/**
 * The mesh events that keep the remote screen tiles, for CallSession's meshEvents. The mesh
 * also reports a share's end when its peer closes (leave, removal, a renewed connection).
 * Takes the tiles, or the document (and where to find a name the mesh did not give).
 * @param {ScreenTiles | {doc: Document, nameOf?: (id: string) => string}} target
 * @returns {Pick<import('./mesh.js').MeshEvents, 'onScreen'>}
 */
export function screenMeshEvents(target) {
  const tiles = 'show' in target ? target : createScreenTiles({ doc: target.doc });
  const nameOf = 'show' in target ? undefined : target.nameOf;
  return {
    onScreen: (id, stream, name) => (stream ? tiles.show(id, name || nameOf?.(id) || '', stream) : tiles.remove(id)),
  };
}

/**
 * Plays a video; if the browser refuses sound before a click, plays it muted (the call's own
 * "click to hear the others" unmutes every remote video).
 * @param {HTMLVideoElement} video
 */
function play(video) {
  const playing = video.play?.();
  playing?.catch?.((/** @type {any} */ error) => {
    if (error?.name !== 'NotAllowedError' || video.muted) return;
    video.muted = true;
    video.play?.()?.catch?.(() => {});
  });
}
