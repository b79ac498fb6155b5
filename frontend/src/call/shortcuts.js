// Keyboard shortcuts of the room page, and the dialogs they open. One key each, no modifier, so
// they never fire while the user types: not in a text field, a select or an editable element, not
// with Ctrl, Alt or Meta held (the browser's own shortcuts), not while a dialog is open.

/**
 * @typedef {'mic' | 'cam' | 'screen' | 'chat' | 'hand' | 'view' | 'leave' | 'help'} ShortcutAction
 * @typedef {Partial<Record<ShortcutAction, () => unknown>>} ShortcutActions
 */

/** Key (KeyboardEvent.key, lower case) → action. The help dialog lists the same keys. */
export const SHORTCUT_KEYS = Object.freeze({
  m: 'mic',
  v: 'cam',
  s: 'screen',
  c: 'chat',
  h: 'hand',
  g: 'view',
  l: 'leave',
  '?': 'help',
});

const TYPING_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'slider']);

/**
 * Whether keys typed with this element focused belong to it, not to the page.
 * @param {Element | null} element
 */
export function isTypingTarget(element) {
  if (!element) return false;
  const tag = element.tagName?.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(type);
  }
  if (/** @type {HTMLElement} */ (element).isContentEditable || element.getAttribute('contenteditable') === 'true') return true;
  return TYPING_ROLES.has(element.getAttribute('role') ?? '');
}

/**
 * The action a key press asks for, or null when the page must leave it alone.
 * @param {{key: string, ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean, repeat?: boolean, target?: EventTarget | null, defaultPrevented?: boolean}} event
 * @param {{dialogOpen?: boolean}} [page]
 * @returns {ShortcutAction | null}
 */
export function shortcutFor(event, { dialogOpen = false } = {}) {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.repeat || dialogOpen) return null;
  if (isTypingTarget(/** @type {Element | null} */ (event.target ?? null))) return null;
  const key = typeof event.key === 'string' ? event.key.toLowerCase() : '';
  return /** @type {Record<string, ShortcutAction>} */ (SHORTCUT_KEYS)[key] ?? null;
}

/**
 * Listens for the shortcuts on the document. `actions` may leave some out (nothing happens).
 * @param {{doc: Document, actions: ShortcutActions}} options
 * @returns {() => void} removes the listener
 */
export function installShortcuts({ doc, actions }) {
  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    const dialogOpen = !!doc.querySelector('dialog[open]');
    const action = shortcutFor(event, { dialogOpen });
    const run = action ? actions[action] : undefined;
    if (!run) return;
    event.preventDefault();
    Promise.resolve()
      .then(run)
      .catch((error) => console.warn(`confab: shortcut ${action}`, error));
  };
  doc.addEventListener('keydown', onKey);
  return () => doc.removeEventListener('keydown', onKey);
}

/**
 * Opens a dialog modally; resolves with its returnValue once it closes (Escape: "").
 * @param {HTMLDialogElement | null} dialog
 * @returns {Promise<string>}
 */
export function ask(dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return Promise.resolve('');
  if (dialog.open) return Promise.resolve('');
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}
