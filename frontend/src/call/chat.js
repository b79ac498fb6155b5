// The chat panel beside the tiles. Messages come from the server as htmx fragments into
// #chat-log (appended one at a time, or the whole history replaced after a join or a resume);
// this module sends what the user types to /app/chat, counts what arrived while the panel was
// closed (the badge on its toggle), keeps the log in data-seq order (from another instance a
// message can overtake an earlier one) and the newest message in view unless the user scrolled
// up to read. Only a participant of the call may chat: out of it the form is disabled.
//
// The page calls update() after every fragment it swapped in: no MutationObserver, so the
// counting is the same in a browser and in the Node tests.

import { Disclosure } from './disclosure.js';

export const CHAT_DESTINATION = '/app/chat';
/** What the server takes (after stripping white space); the textarea's maxlength says the same. */
export const MAX_CHAT_LENGTH = 2000;
/** Closer to the bottom than this counts as "reading the newest", so new ones scroll into view. */
const NEAR_BOTTOM_PX = 32;
const NOT_SENT = 'Not connected to the server: your message was not sent. Try again in a moment.';
const TOO_LONG = `Chat messages are at most ${MAX_CHAT_LENGTH} characters.`;

/**
 * @typedef {object} ChatOptions
 * @property {Document} doc
 * @property {(destination: string, body: unknown) => boolean} send a STOMP SEND; false: not connected
 * @property {() => string | null} selfId our participant id: our own messages are never unread
 * @property {ReadMark} [readMark] where "read up to" is kept, so that a reload does not count again
 *
 * @typedef {object} ReadMark
 * @property {() => number} load the highest data-seq read so far (0: none)
 * @property {(seq: number) => void} save
 */

/**
 * The sequence number the server gave a message (data-seq), or null.
 * @param {Element} message
 */
export function seqOf(message) {
  const raw = message.getAttribute('data-seq');
  const seq = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(seq) ? seq : null;
}

/** @param {number} count @returns {string} what the badge shows */
export const badgeText = (count) => (count > 99 ? '99+' : String(count));

export class Chat {
  #doc;
  #send;
  #selfId;
  /** @type {Disclosure | null} */
  #panel = null;
  /** The highest data-seq read (shown in the open panel): a history replace brings nothing new up to it. */
  #readUpTo = 0;
  /** @type {ReadMark | null} */
  #readMark;
  /** @type {number | null} the newest message in the log at the last update */
  #newestShown = null;
  #unread = 0;
  #available = false;
  /** The user is at the bottom of the log (or has not scrolled): new messages scroll into view. */
  #followNewest = true;
  /** @type {string | null} a notice this module wrote (the server writes its own there too) */
  #localNotice = null;

  /** @param {ChatOptions} options */
  constructor({ doc, send, selfId, readMark }) {
    this.#doc = doc;
    this.#send = send;
    this.#selfId = selfId;
    this.#readMark = readMark ?? null;
    const toggle = this.#byId('toggle-chat');
    const panel = this.#byId('chat-panel');
    if (toggle && panel) {
      this.#panel = new Disclosure(doc, toggle, panel, {
        closeOnOutsideClick: false, // a panel to read beside the call, not a popover
        onChange: (open, byUser) => this.#opened(open, byUser),
      });
    }
    this.#byId('close-chat')?.addEventListener('click', () => this.#panel?.hide({ byUser: true, focusButton: true }));
    this.#byId('chat-form')?.addEventListener('submit', (/** @type {Event} */ event) => {
      event.preventDefault();
      this.sendMessage();
    });
    this.#byId('chat-input')?.addEventListener('keydown', (/** @type {KeyboardEvent} */ event) => {
      // Enter sends, Shift+Enter is a new line; Enter that ends an IME composition is neither.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      this.sendMessage();
    });
    this.#byId('chat-log')?.addEventListener('scroll', () => {
      const log = this.#byId('chat-log');
      if (log) this.#followNewest = log.scrollHeight - log.scrollTop - log.clientHeight <= NEAR_BOTTOM_PX;
    });
    // Whatever the page holds at load has been read (the page rendered it), and what this tab read before a reload.
    this.#readUpTo = Math.max(this.#readMark?.load() ?? 0, this.#highestIn(this.#messages()));
    this.#doc.body.dataset.chat = this.open ? 'open' : 'closed';
    this.setAvailable(false);
  }

  /** Whether the panel is shown. */
  get open() {
    return this.#panel?.open ?? false;
  }

  /** Messages from others in the log that arrived while the panel was closed. */
  get unread() {
    return this.#unread;
  }

  /** @param {boolean} open */
  setOpen(open) {
    if (open) this.#panel?.show();
    else this.#panel?.hide();
  }

  /**
   * In a call the form works; out of it, it is disabled and a hint says why.
   * @param {boolean} available
   */
  setAvailable(available) {
    this.#available = available;
    const input = /** @type {HTMLTextAreaElement | null} */ (this.#byId('chat-input'));
    const submit = /** @type {HTMLButtonElement | null} */ (this.#byId('chat-send'));
    if (input) input.disabled = !available;
    if (submit) submit.disabled = !available;
    const hint = this.#byId('chat-hint');
    if (hint) hint.hidden = available;
  }

  /**
   * Sends what the field holds. The field is cleared only once the message went out, so
   * nothing typed is lost while the connection is down.
   * @returns {boolean} whether it was sent
   */
  sendMessage() {
    const input = /** @type {HTMLTextAreaElement | null} */ (this.#byId('chat-input'));
    if (!input || !this.#available) return false;
    const text = input.value;
    if (text.trim() === '') return false;
    if (text.length > MAX_CHAT_LENGTH) {
      this.#notice(TOO_LONG);
      return false;
    }
    if (!this.#send(CHAT_DESTINATION, { text })) {
      this.#notice(NOT_SENT);
      return false;
    }
    input.value = '';
    this.#notice(null);
    this.#followNewest = true; // our own message: show it
    return true;
  }

  /**
   * A fragment was swapped in: count what is unread (from the log itself, so a history replace
   * counts nothing twice), keep the newest in view.
   */
  update() {
    const messages = this.#inOrder(this.#messages());
    const selfId = this.#selfId();
    let unread = 0;
    let ownFresh = false;
    for (const message of messages) {
      const own = selfId !== null && message.getAttribute('data-from') === selfId;
      if (own) message.setAttribute('data-own', 'true'); // set apart by the CSS; again after a history replace
      const seq = seqOf(message);
      if (seq === null || seq <= this.#readUpTo) continue;
      if (own) ownFresh = true;
      else unread++;
    }
    if (this.open) this.#markRead(messages);
    else if (unread !== this.#unread) {
      this.#unread = unread;
      this.#showUnread();
    }
    const newest = messages.length ? seqOf(messages[messages.length - 1]) : null;
    const changed = newest !== this.#newestShown;
    this.#newestShown = newest;
    if (changed && this.open && (this.#followNewest || ownFresh)) this.#scrollToNewest();
  }

  /**
   * @param {boolean} open
   * @param {boolean} byUser
   */
  #opened(open, byUser) {
    this.#doc.body.dataset.chat = open ? 'open' : 'closed';
    if (!open) return;
    this.#markRead(this.#messages());
    this.#followNewest = true;
    this.#scrollToNewest();
    if (!byUser) return;
    // Into the panel (on a phone it covers the button that opened it): the field, or its close button.
    const input = /** @type {HTMLTextAreaElement | null} */ (this.#byId('chat-input'));
    if (input && !input.disabled) input.focus();
    else this.#byId('close-chat')?.focus();
  }

  /** @param {Element[]} messages all of them are shown in the open panel */
  #markRead(messages) {
    const highest = this.#highestIn(messages);
    if (highest > this.#readUpTo) {
      this.#readUpTo = highest;
      this.#readMark?.save(highest);
    }
    if (this.#unread) {
      this.#unread = 0;
      this.#showUnread();
    }
  }

  /**
   * Moves each message that came after a higher data-seq to its place, and drops a second copy of
   * one (a message that crossed a history can come in it and after it). Appends are the usual
   * case: then this only compares neighbours.
   * @param {Element[]} messages as in the log
   * @returns {Element[]} as in the log now
   */
  #inOrder(messages) {
    /** @type {Element[]} */
    const ordered = [];
    for (const message of messages) {
      const seq = seqOf(message);
      let at = ordered.length;
      if (seq !== null) {
        while (at > 0 && (seqOf(ordered[at - 1]) ?? -Infinity) > seq) at--;
        if (at > 0 && seqOf(ordered[at - 1]) === seq) {
          message.remove();
          continue;
        }
      }
      if (at < ordered.length) ordered[at].before(message);
      ordered.splice(at, 0, message);
    }
    return ordered;
  }

  /** @param {Element[]} messages */
  #highestIn(messages) {
    return messages.reduce((highest, message) => Math.max(highest, seqOf(message) ?? 0), 0);
  }

  #showUnread() {
    const badge = this.#byId('chat-unread');
    if (badge) {
      badge.textContent = this.#unread ? badgeText(this.#unread) : '';
      badge.dataset.count = String(this.#unread);
      badge.hidden = this.#unread === 0;
    }
    // The badge's number alone says little to a screen reader: the button's name says it in words.
    const toggle = this.#byId('toggle-chat');
    if (!toggle) return;
    if (this.#unread) toggle.setAttribute('aria-label', `Chat, ${this.#unread} unread`);
    else toggle.removeAttribute('aria-label');
  }

  #scrollToNewest() {
    const log = this.#byId('chat-log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** @param {string | null} text */
  #notice(text) {
    const notice = this.#byId('chat-notice');
    if (!notice) return;
    if (text !== null) notice.textContent = text;
    else if (this.#localNotice !== null && notice.textContent === this.#localNotice) notice.textContent = '';
    this.#localNotice = text;
  }

  /** @returns {Element[]} */
  #messages() {
    const log = this.#byId('chat-log');
    return log ? [...log.querySelectorAll('.chat-message')] : [];
  }

  /** @param {string} id */
  #byId(id) {
    return this.#doc.getElementById(id);
  }
}
