// What the page says when a join does not end in the call, or the owner acts on us
// (docs/protocol.md; the server's rtc events "refused", "waiting", "removed", "mute-request").
// The server sends its own sentence; these are the words when it sent none. No DOM.

export const MUTED_BY_OWNER = 'The owner muted you. Turn your microphone back on when you want to speak.';
export const WAITING_TEXT = 'Waiting for the owner to let you in.';
export const REMOVED_TEXT = 'The owner removed you from the call.';

/** @type {Readonly<Record<string, string>>} refusal reason → what it means */
const REFUSAL_TEXT = Object.freeze({
  locked: 'This room is locked.',
  full: 'This room is full.',
  removed: 'You were removed from this call; you can join again in a few minutes.',
  refused: 'The owner did not let you in.',
});

/**
 * @param {unknown} text what the server said
 * @param {string} fallback
 */
export const sentence = (text, fallback) => (typeof text === 'string' && text.trim() ? text : fallback);

/**
 * @param {string} reason locked, full, removed or refused
 * @param {unknown} message the server's sentence
 */
export const refusalText = (reason, message) =>
  sentence(message, Object.hasOwn(REFUSAL_TEXT, reason) ? REFUSAL_TEXT[reason] : 'You cannot join this call now.');

/**
 * A room that is locked or full is a fact to wait out; being turned away by someone is an error.
 * @param {string} reason
 * @returns {import('./call-ui.js').Tone}
 */
export const refusalTone = (reason) => (reason === 'locked' || reason === 'full' ? 'warn' : 'error');
