// The app multiplexer: one socket, many listeners (the talk's tr.js idea).
//
// Every message from the server is a JSON object whose keys are "apps", handled in key order:
//   "html"   → the html sink (htmx processes the out-of-band swaps in it)
//   "remove" → the remover (a CSS selector of the element to drop)
//   anything else, e.g. "rtc" → {type: "<event>", ...} for the handlers registered for (app, type)
// No DOM here: the page injects the sinks.

/**
 * @typedef {{type: string, [key: string]: unknown}} AppMessage
 * @typedef {(message: AppMessage) => unknown} Handler
 * @typedef {object} MultiplexerOptions
 * @property {(html: string) => void} [html] applies an HTML fragment (out-of-band swaps)
 * @property {(selector: string) => void} [remove] removes the element a selector matches
 * @property {(what: string, error: unknown) => void} [onError] told about a failing sink or handler
 */

export class Multiplexer {
  /** @type {Map<string, Map<string, Handler[]>>} */
  #apps = new Map();
  /** @type {(html: string) => void} */
  #html;
  /** @type {(selector: string) => void} */
  #remove;
  /** @type {(what: string, error: unknown) => void} */
  #onError;

  /** @param {MultiplexerOptions} [options] */
  constructor({ html, remove, onError } = {}) {
    this.#html = html ?? (() => {});
    this.#remove = remove ?? (() => {});
    this.#onError = onError ?? ((what, error) => console.error(`confab: ${what} failed`, error));
  }

  /**
   * Registers a handler for one event of one app.
   * @param {string} app
   * @param {string} event
   * @param {Handler} fn
   * @returns {() => void} removes this registration again
   */
  add(app, event, fn) {
    let events = this.#apps.get(app);
    if (!events) {
      events = new Map();
      this.#apps.set(app, events);
    }
    events.set(event, [...(events.get(event) ?? []), fn]);
    return () => this.remove(app, event, fn);
  }

  /**
   * @param {string} app
   * @param {string} event
   * @param {Handler} fn
   */
  remove(app, event, fn) {
    const events = this.#apps.get(app);
    const handlers = events?.get(event);
    if (!events || !handlers) return;
    const left = handlers.filter((h) => h !== fn);
    if (left.length) events.set(event, left);
    else events.delete(event);
    if (!events.size) this.#apps.delete(app);
  }

  /**
   * Handles one parsed server message. Never throws: a failing sink or handler is reported
   * and the rest of the message is still handled.
   * @param {unknown} message
   */
  dispatch(message) {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.#onError('dispatch (not a JSON object)', message);
      return;
    }
    for (const [app, value] of Object.entries(message)) {
      if (app === 'html') {
        if (typeof value === 'string') this.#guard('html sink', () => this.#html(value));
      } else if (app === 'remove') {
        if (typeof value === 'string') this.#guard('remove sink', () => this.#remove(value));
      } else {
        this.#forward(app, value);
      }
    }
  }

  /**
   * @param {string} app
   * @param {unknown} value
   */
  #forward(app, value) {
    if (value === null || typeof value !== 'object') return;
    const event = /** @type {{type?: unknown}} */ (value).type;
    if (typeof event !== 'string') return;
    // Handler arrays are replaced, never mutated, so a handler may unregister while we iterate.
    const handlers = this.#apps.get(app)?.get(event) ?? [];
    for (const fn of handlers) {
      this.#guard(`${app}.${event} handler`, () => fn(/** @type {AppMessage} */ (value)));
    }
  }

  /**
   * Runs a sink or handler; reports what it throws, and what it rejects with if it is async.
   * @param {string} what
   * @param {() => unknown} fn
   */
  #guard(what, fn) {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((error) => this.#onError(what, error));
    } catch (error) {
      this.#onError(what, error);
    }
  }
}
