// The room's roster (docs/protocol.md, "Room roster"): whether an incoming roster is newer than
// the page's, who it lists, who is away, whose hand is up, who owns the room, the room's state
// (locked, waiting room, capacity), and which remote tiles it shows to be stale.
// Rosters travel on the room topic and tiles on the personal queue, so they may arrive in either
// order: the version decides. Reads elements, never changes them.

/**
 * @typedef {object} Roster
 * @property {number | null} version the room's roster version (null: the server sent none)
 * @property {Map<string, boolean>} members participant id → away
 * @property {Map<string, number>} hands participant id → its place in the order hands went up (1 = first)
 * @property {Set<string>} owners participants of the room's owner (every tab of that user)
 * @property {RoomState} room
 *
 * @typedef {object} RoomState what the owner set
 * @property {boolean} locked nobody new can join
 * @property {boolean} waitingRoom newcomers wait for the owner to let them in
 * @property {number | null} capacity at most this many in the call (null: the server sent none)
 *
 * @typedef {{id: string, version: number | null}} TileInfo a remote tile and the roster version it was rendered at
 */

/**
 * @param {{getAttribute: (name: string) => string | null} | null | undefined} element
 * @returns {number | null} its data-version, when it has a sound one
 */
export function versionOf(element) {
  return numberAttribute(element, 'data-version');
}

/**
 * @param {{getAttribute: (name: string) => string | null} | null | undefined} element
 * @param {string} name
 * @returns {number | null} the attribute as a finite number, or null
 */
function numberAttribute(element, name) {
  const raw = element?.getAttribute(name);
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/**
 * Whether an incoming roster may replace the page's: only a higher version may. One without a
 * version on either side is taken (nothing to compare).
 * @param {Element | null | undefined} current
 * @param {Element | null | undefined} incoming
 */
export function isNewerRoster(current, incoming) {
  const have = versionOf(current);
  const got = versionOf(incoming);
  return have === null || got === null || got > have;
}

/**
 * The new roster element in the fragment of htmx's oobBeforeSwap event (for an outerHTML swap a
 * DocumentFragment holding it).
 * @param {unknown} fragment
 * @returns {Element | null}
 */
export function rosterIn(fragment) {
  const node = /** @type {any} */ (fragment);
  if (!node) return null;
  if (node.id === 'roster') return node;
  return node.firstElementChild ?? null;
}

/**
 * @param {Element | null | undefined} section the #roster element
 * @returns {Roster | null}
 */
export function readRoster(section) {
  if (!section) return null;
  /** @type {Map<string, boolean>} */
  const members = new Map();
  /** @type {Map<string, number>} */
  const hands = new Map();
  /** @type {Set<string>} */
  const owners = new Set();
  for (const item of section.querySelectorAll('li[data-participant]')) {
    const id = item.getAttribute('data-participant');
    if (!id) continue;
    members.set(id, item.getAttribute('data-away') === 'true');
    const hand = numberAttribute(item, 'data-hand');
    if (hand !== null && Number.isInteger(hand) && hand > 0) hands.set(id, hand);
    if (item.getAttribute('data-owner') === 'true') owners.add(id);
  }
  /** @type {RoomState} */
  const room = {
    locked: section.getAttribute('data-locked') === 'true',
    waitingRoom: section.getAttribute('data-waiting-room') === 'true',
    capacity: numberAttribute(section, 'data-capacity'),
  };
  return { version: versionOf(section), members, hands, owners, room };
}

/**
 * The tiles the roster shows to be stale: their participant is not listed, and the roster is
 * newer than the tile. A tile rendered after the roster (a join it does not know yet) stays,
 * and so does one without a version (made by the client while its server tile was late).
 * @param {Roster} roster
 * @param {TileInfo[]} tiles
 * @returns {string[]} participant ids
 */
export function staleTiles(roster, tiles) {
  const version = roster.version;
  if (version === null) return [];
  return tiles.filter((tile) => !roster.members.has(tile.id) && tile.version !== null && tile.version < version).map((tile) => tile.id);
}
