// Getting the camera and microphone, and saying plainly why not when that fails.
// No DOM: handed navigator.mediaDevices (or a fake).

/**
 * @typedef {object} LocalMedia
 * @property {MediaStream | null} stream
 * @property {boolean} audio a microphone track is in the stream
 * @property {boolean} video a camera track is in the stream
 * @property {string | null} problem what is missing and why, in words for the user
 */

/** Modest video: in a mesh every participant uploads one copy per other participant. */
export const VIDEO_CONSTRAINTS = Object.freeze({
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
});

export const AUDIO_CONSTRAINTS = Object.freeze({ echoCancellation: true, noiseSuppression: true });

/** Errors after which asking again, for fewer devices, cannot help (and would only re-prompt). */
const FINAL_ERRORS = new Set(['NotAllowedError', 'SecurityError']);

/**
 * Asks for camera and microphone; falls back to the microphone alone, then the camera alone.
 * Never rejects.
 * @param {Pick<MediaDevices, 'getUserMedia'> | undefined | null} mediaDevices
 * @returns {Promise<LocalMedia>}
 */
export async function acquireMedia(mediaDevices) {
  if (!mediaDevices || typeof mediaDevices.getUserMedia !== 'function') {
    return nothing(
      'This browser offers no camera or microphone here: they need a secure page (https:// or localhost). You can still join to watch and listen.',
    );
  }
  const attempts = [
    { audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS },
    { audio: AUDIO_CONSTRAINTS, video: false },
    { audio: false, video: VIDEO_CONSTRAINTS },
  ];
  /** @type {unknown} */
  let firstError = null;
  for (const constraints of attempts) {
    try {
      const stream = await mediaDevices.getUserMedia(constraints);
      const audio = stream.getAudioTracks().length > 0;
      const video = stream.getVideoTracks().length > 0;
      return { stream, audio, video, problem: firstError ? partialProblem(firstError, audio, video) : null };
    } catch (error) {
      firstError ??= error;
      if (FINAL_ERRORS.has(errorName(error))) break;
    }
  }
  return nothing(`${describeMediaError(firstError)} You can still join to watch and listen.`);
}

/**
 * One or two plain sentences about a getUserMedia failure.
 * @param {unknown} error
 * @param {string} [devices] what was asked for: "camera and microphone", "camera" or "microphone"
 */
export function describeMediaError(error, devices = 'camera and microphone') {
  const both = devices.includes(' and ');
  const Devices = devices.charAt(0).toUpperCase() + devices.slice(1);
  switch (errorName(error)) {
    case 'NotAllowedError':
      return `${Devices} ${both ? 'are' : 'is'} blocked for this site. Allow ${both ? 'them' : 'it'} in your browser (the icon next to the address) and reload the page.`;
    case 'SecurityError':
      return `This page is not allowed to use a ${devices.replace(' and ', ' or ')}.`;
    case 'NotFoundError':
      return `No ${devices.replace(' and ', ' or ')} was found.`;
    case 'NotReadableError':
      return `The ${devices.replace(' and ', ' or ')} is busy or not working; another app may be using it.`;
    case 'OverconstrainedError':
      return 'The camera cannot give a usable picture.';
    case 'AbortError':
      return `The ${devices.replace(' and ', ' or ')} stopped while starting.`;
    default:
      return `The ${devices} could not be started (${errorName(error) || 'unknown error'}).`;
  }
}

/**
 * @param {unknown} error
 * @param {boolean} audio
 * @param {boolean} video
 */
function partialProblem(error, audio, video) {
  if (audio && !video) {
    return `Joining with your microphone only: ${lowerFirst(describeMediaError(error, 'camera'))}`;
  }
  if (video && !audio) {
    return `Joining with your camera only: ${lowerFirst(describeMediaError(error, 'microphone'))}`;
  }
  return null;
}

/** @param {string} text */
function lowerFirst(text) {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** @param {string} problem @returns {LocalMedia} */
function nothing(problem) {
  return { stream: null, audio: false, video: false, problem };
}

/** @param {unknown} error */
function errorName(error) {
  return error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
}
