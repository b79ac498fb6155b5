// The devices chosen on this browser: localStorage "confab.devices" = JSON {videoinput, audioinput,
// audiooutput}, each a device id or null. Storage may be blocked, corrupt or written by anyone
// with the same origin: every read is validated, and nothing here throws.

/** localStorage key of the remembered choices. */
export const DEVICES_KEY = 'confab.devices';

/** Device ids are opaque strings of some 64 characters; anything longer is not one. */
const MAX_DEVICE_ID_LENGTH = 256;

/**
 * @typedef {'videoinput' | 'audioinput' | 'audiooutput'} DeviceKind
 * @typedef {'videoinput' | 'audioinput'} InputKind
 * @typedef {{videoinput: string | null, audioinput: string | null, audiooutput: string | null}} DeviceChoices
 */

/** @type {readonly DeviceKind[]} */
const KINDS = ['videoinput', 'audioinput', 'audiooutput'];

/** @param {unknown} value @returns {string | null} a plausible device id, or null */
function deviceIdOrNull(value) {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_DEVICE_ID_LENGTH && !/[\u0000-\u001f]/.test(value)
    ? value
    : null;
}

/**
 * The remembered choices; whatever storage holds (nothing, junk, hostile values) gives nulls.
 * @param {Pick<Storage, 'getItem'> | null | undefined} storage
 * @returns {DeviceChoices}
 */
export function readChoices(storage) {
  /** @type {DeviceChoices} */
  const choices = { videoinput: null, audioinput: null, audiooutput: null };
  try {
    const parsed = JSON.parse(storage?.getItem(DEVICES_KEY) ?? 'null');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return choices;
    for (const kind of KINDS) choices[kind] = Object.hasOwn(parsed, kind) ? deviceIdOrNull(parsed[kind]) : null;
  } catch {
    // blocked or corrupt storage: nothing remembered
  }
  return choices;
}

/**
 * @param {Pick<Storage, 'getItem' | 'setItem'> | null | undefined} storage
 * @param {DeviceKind} kind
 * @param {string | null} deviceId
 */
export function rememberChoice(storage, kind, deviceId) {
  if (!storage) return;
  try {
    storage.setItem(DEVICES_KEY, JSON.stringify({ ...readChoices(storage), [kind]: deviceIdOrNull(deviceId) }));
  } catch {
    // without storage the choice lasts until the page is left: no harm done
  }
}

/** @param {MediaStreamTrack | null | undefined} track @returns {string | null} the device it comes from */
export function deviceIdOf(track) {
  try {
    return deviceIdOrNull(track?.getSettings?.().deviceId);
  } catch {
    return null;
  }
}
