// What the room page needs to resume its participant (docs/protocol.md, "Resume"): the resume
// token kept per tab and room in sessionStorage (never in the page), what to do once a connection
// is up, and which ERROR messages are about the resume. No DOM.

/** @typedef {import('./mesh.js').ResumeToken} ResumeToken */

export const RESUME_KEY_PREFIX = 'confab.resume.';

/**
 * A token is used by a new page only this soon after the old one went away: a reload, not a
 * visit to the room minutes later (that should not switch camera and microphone on unasked).
 * The server's own limit is shorter still (the unload grace).
 */
export const RELOAD_WINDOW_MS = 15000;

/**
 * @typedef {'resume' | 'resume-fresh' | 'join' | 'none'} NextStep
 * resume: this page is in a call, take it back with its peers; resume-fresh: a page that has none
 * (a reload); join: the user wants in and there is nothing to resume; none: wait for a click.
 */

/**
 * What to do once the standing subscriptions of a connection are confirmed.
 * @param {{token: ResumeToken | null, inCall: boolean, wantInCall: boolean}} state inCall: this page got "connect" or "resumed"
 * @returns {NextStep}
 */
export function nextStep({ token, inCall, wantInCall }) {
  if (token && inCall) return 'resume';
  if (token && wantInCall) return 'resume-fresh';
  return wantInCall ? 'join' : 'none';
}

/**
 * The server refused the resume (unknown participant, wrong secret, grace over, malformed): the
 * token is worthless, the call from before is over for us; join afresh.
 * @param {string} message
 */
export const isResumeRefusal = (message) => message.startsWith('Cannot resume') || message.startsWith('Not a resume request');

/**
 * Another page took our participant over (a duplicated tab resumed it): this one is out.
 * @param {string} message
 */
export const isTakenOver = (message) => message.startsWith('This call continues on another connection');

/** The token of one room in one tab. Storage failures (private mode, quota) mean "no token". */
export class ResumeStore {
  /** @type {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null} */
  #storage;
  #key;
  #now;

  /**
   * @param {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null} storage sessionStorage
   * @param {string} slug
   * @param {() => number} [now]
   */
  constructor(storage, slug, now = Date.now) {
    this.#storage = storage;
    this.#key = `${RESUME_KEY_PREFIX}${slug}`;
    this.#now = now;
  }

  get key() {
    return this.#key;
  }

  /** @returns {ResumeToken | null} */
  load() {
    const entry = this.#read();
    return entry ? { id: entry.id, secret: entry.secret } : null;
  }

  /**
   * The token, for a page that just loaded: only when the page before went away moments ago.
   * @returns {ResumeToken | null}
   */
  loadAfterReload() {
    const entry = this.#read();
    if (!entry) return null;
    if (typeof entry.leftAt === 'number' && this.#now() - entry.leftAt > RELOAD_WINDOW_MS) {
      this.forget();
      return null;
    }
    return { id: entry.id, secret: entry.secret };
  }

  /** @param {ResumeToken} token */
  save({ id, secret }) {
    this.#write({ id, secret });
  }

  /** The page is going away (pagehide): a reload may resume from here, for a short while. */
  markLeft() {
    const entry = this.#read();
    if (entry) this.#write({ id: entry.id, secret: entry.secret, leftAt: this.#now() });
  }

  forget() {
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // nothing stored, nothing to forget
    }
  }

  /** @returns {{id: string, secret: string, leftAt?: number} | null} */
  #read() {
    let raw = null;
    try {
      raw = this.#storage?.getItem(this.#key) ?? null;
    } catch {
      return null;
    }
    if (!raw) return null;
    try {
      const entry = JSON.parse(raw);
      if (entry && typeof entry.id === 'string' && typeof entry.secret === 'string') return entry;
    } catch {
      // unreadable: as good as none
    }
    return null;
  }

  /** @param {object} entry */
  #write(entry) {
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(entry));
    } catch {
      // without storage a reload joins afresh; the call itself goes on
    }
  }
}
