// Thin glue between a @stomp/stompjs Client and the multiplexer: every MESSAGE body is parsed
// as JSON and dispatched. The page module builds the Client (brokerURL, heartbeats) and hands
// it in, so this module imports nothing and tests can pass a fake.
//
// Reconnecting is ours, not stompjs's: the Client is built with reconnectDelay 0 (stompjs then
// never reconnects by itself), and after each close this adapter waits a delay from `backoff`
// (at once, then short and jittered: docs/protocol.md, "Shutdown, failures and reconnects") and
// activates the client again. stompjs knows only fixed or doubling delays.

/**
 * The part of @stomp/stompjs's Client this adapter uses.
 * @typedef {object} StompClientLike
 * @property {boolean} connected
 * @property {(client?: any) => void | Promise<void>} beforeConnect
 * @property {(frame: StompFrameLike) => void} onConnect
 * @property {(frame: StompFrameLike) => void} onStompError
 * @property {(event: {code?: number, reason?: string}) => void} onWebSocketClose
 * @property {() => void} activate
 * @property {() => Promise<void>} deactivate resolves at once when the socket is already closed
 * @property {(destination: string, callback: (message: {body: string}) => void, headers?: Record<string, string>) => {unsubscribe: () => void}} subscribe
 * @property {(receiptId: string, callback: () => void) => void} watchForReceipt
 * @property {(params: {destination: string, body: string, headers?: Record<string, string>}) => void} publish
 *
 * @typedef {{headers: Record<string, string>, body: string}} StompFrameLike
 *
 * @typedef {'connecting' | 'connected' | 'lost' | 'error'} ConnectionState
 * @typedef {object} ConnectionEvent
 * @property {ConnectionState} state
 * @property {string} [message] the ERROR frame's message header (state "error")
 * @property {boolean} [wasConnected] whether the socket that closed had completed CONNECT (state "lost")
 * @property {number} [code] the WebSocket close code (state "lost")
 * @property {number} [retryInMs] when the next attempt starts (state "lost"; absent when stopped)
 *
 * @typedef {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (handle: any) => void, now: () => number}} Timers
 *
 * @typedef {object} StompAdapterOptions
 * @property {string[]} [standing] destinations subscribed on every (re)connect, e.g. "/user/queue/events"
 * @property {(event: ConnectionEvent) => void} [onState]
 * @property {(what: string, error: unknown) => void} [onError]
 * @property {(attempt: number) => number} [backoff] milliseconds before reconnect attempt n (0: right after a close)
 * @property {Timers} [timers] injectable for tests
 */

/** Back-off ceilings: short while in a call (docs/protocol.md), gentler on the server otherwise. */
export const IN_CALL_MAX_DELAY_MS = 5000;
export const IDLE_MAX_DELAY_MS = 15000;
/** The ceiling of the first delayed attempt; each later one doubles it up to the cap. */
export const FIRST_DELAY_MS = 500;
/**
 * A connection that stayed up this long (or ended with an ERROR: the server is alive) resets the
 * back-off. A shorter silent one keeps counting, so a server that drops every connection at once
 * is not hammered.
 */
export const STABLE_CONNECTION_MS = 3000;

/**
 * How long to wait before reconnect attempt `attempt`: 0 at once, then "equal jitter" (between
 * half the ceiling and the ceiling), the ceiling doubling from FIRST_DELAY_MS up to `capMs`.
 * The jitter spreads the clients of a dead instance over time instead of all at one moment.
 * @param {number} attempt 0 right after the close
 * @param {number} capMs never longer than this
 * @param {() => number} [random]
 */
export function reconnectDelay(attempt, capMs, random = Math.random) {
  if (attempt <= 0) return 0;
  const ceiling = Math.min(capMs, FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Whether an ERROR frame asks the client to come back (shutdown, lost contact) rather than
 * refusing something it did: after a refusal, retrying at once would only repeat it.
 * @param {string} message
 */
export const isReconnectHint = (message) => /reconnect/i.test(message);

/**
 * Whether an ERROR frame sheds a busy server's load ("...; reconnect in a moment."): the client
 * comes back, but after a back-off that grows while the server keeps shedding it, never at once.
 * @param {string} message
 */
export const isBusyHint = (message) => /reconnect in a moment/i.test(message);

export class StompAdapter {
  /** @type {StompClientLike} */
  #client;
  /** @type {{dispatch: (message: unknown) => void}} */
  #multiplexer;
  /** @type {string[]} */
  #standing;
  /** Subscriptions of the current connection only; a new connection starts empty. */
  #subscriptions = new Map();
  /** @type {(event: ConnectionEvent) => void} */
  #onState;
  /** @type {(what: string, error: unknown) => void} */
  #onError;
  #backoff;
  #timers;
  #sessionUp = false;
  /** Counts connections, so that a receipt of an earlier one never reports the current one. */
  #connection = 0;
  /** @type {ConnectionState} */
  #state = 'connecting';
  /** Attempts since the last stable connection. */
  #attempt = 0;
  /** @type {number | null} when the current connection reached "connected" */
  #connectedAt = null;
  /** Connections in a row that ended with a refusal (an ERROR that is no reconnect hint). */
  #refusals = 0;
  /** @type {string | null} the ERROR message of the current connection */
  #lastError = null;
  /** @type {any} the pending reconnect */
  #retryTimer;
  /** stop() or suspend(): no more reconnects */
  #halted = false;

  /**
   * @param {StompClientLike} client
   * @param {{dispatch: (message: unknown) => void}} multiplexer
   * @param {StompAdapterOptions} [options]
   */
  constructor(client, multiplexer, { standing = [], onState, onError, backoff, timers } = {}) {
    this.#client = client;
    this.#multiplexer = multiplexer;
    this.#standing = [...standing];
    this.#onState = onState ?? (() => {});
    this.#onError = onError ?? ((what, error) => console.error(`confab: ${what}`, error));
    this.#backoff = backoff ?? ((/** @type {number} */ attempt) => reconnectDelay(attempt, IDLE_MAX_DELAY_MS));
    this.#timers = timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle),
      now: () => Date.now(),
    };
  }

  get connected() {
    return this.#client.connected;
  }

  /** "connecting", "connected" (standing subscriptions confirmed), "lost" or "error". */
  get state() {
    return this.#state;
  }

  /** How many connections reached "connected" so far. */
  get connections() {
    return this.#connection;
  }

  /** Hooks into the client and opens the connection. */
  start() {
    const client = this.#client;
    client.beforeConnect = () => this.#report({ state: 'connecting' });
    client.onConnect = () => {
      this.#sessionUp = true;
      this.#lastError = null;
      this.#subscriptions.clear();
      // "connected" only once the broker confirmed every standing subscription: with RabbitMQ a
      // SUBSCRIBE is bound a moment later, and a join sent before would lose its first answers.
      const pending = new Set();
      const connection = ++this.#connection;
      const up = () => {
        this.#connectedAt = this.#timers.now();
        this.#report({ state: 'connected' });
      };
      for (const destination of this.#standing) {
        const receipt = `standing-${connection}-${pending.size}`;
        pending.add(receipt);
        client.watchForReceipt(receipt, () => {
          pending.delete(receipt);
          if (pending.size === 0 && this.#sessionUp && connection === this.#connection) up();
        });
        this.#subscribe(destination, { receipt });
      }
      if (pending.size === 0) up();
    };
    client.onStompError = (frame) => {
      const message = frame.headers?.message || 'the server reported an error';
      this.#lastError = message;
      this.#report({ state: 'error', message });
    };
    client.onWebSocketClose = (event) => {
      const wasConnected = this.#sessionUp;
      this.#sessionUp = false;
      // The server forgets a closed session's subscriptions: so do we.
      this.#subscriptions.clear();
      const retryInMs = this.#scheduleReconnect();
      /** @type {ConnectionEvent} */
      const lost = { state: 'lost', wasConnected, code: event?.code };
      if (retryInMs !== null) lost.retryInMs = retryInMs;
      this.#report(lost);
    };
    client.activate();
  }

  /** Closes the connection for good (DISCONNECT, no reconnect). */
  stop() {
    this.#halt();
    return this.#client.deactivate();
  }

  /**
   * No more reconnects, but no DISCONNECT either: the page is going away and its session should
   * end as a dropped socket does (the server then keeps the participant for a resume).
   */
  suspend() {
    this.#halt();
  }

  /** Reconnects now instead of waiting out the back-off (the browser is back online). */
  retryNow() {
    if (this.#retryTimer === undefined || this.#halted) return;
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#reconnect();
  }

  /**
   * Subscribes for the current connection only; a reconnect does not restore it.
   * @param {string} destination
   * @returns {boolean} false when not connected
   */
  subscribe(destination) {
    return this.#subscribe(destination, {});
  }

  /** @param {string} destination */
  unsubscribe(destination) {
    const subscription = this.#subscriptions.get(destination);
    this.#subscriptions.delete(destination);
    if (subscription && this.#client.connected) subscription.unsubscribe();
  }

  /**
   * SENDs a JSON body.
   * @param {string} destination
   * @param {unknown} body
   * @returns {boolean} false when not connected (nothing was sent)
   */
  send(destination, body) {
    if (!this.#client.connected) return false;
    this.#client.publish({
      destination,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return true;
  }

  /** @param {ConnectionEvent} event */
  #report(event) {
    this.#state = event.state === 'error' ? this.#state : event.state;
    this.#onState(event);
  }

  #halt() {
    this.#halted = true;
    if (this.#retryTimer !== undefined) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** @returns {number | null} the delay, or null when no reconnect follows */
  #scheduleReconnect() {
    if (this.#halted) return null;
    const told = this.#lastError !== null; // the server said why: it is alive and answering
    const refused = told && !isReconnectHint(/** @type {string} */ (this.#lastError));
    const shed = told && isBusyHint(/** @type {string} */ (this.#lastError));
    this.#lastError = null;
    const stable = this.#connectedAt !== null && this.#timers.now() - this.#connectedAt >= STABLE_CONNECTION_MS;
    if ((told && !shed) || stable) this.#attempt = 0;
    // Shed: a stable connection before it starts the back-off over, but never at zero.
    if (shed) this.#attempt = Math.max(this.#attempt, 1);
    this.#connectedAt = null;
    this.#refusals = refused ? this.#refusals + 1 : 0;
    // A refusal that repeats on every connection must not turn into a tight loop.
    const delay = Math.max(0, this.#backoff(Math.max(this.#attempt, this.#refusals)));
    this.#attempt++;
    if (this.#retryTimer !== undefined) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#reconnect();
    }, delay);
    return delay;
  }

  async #reconnect() {
    try {
      // The socket is closed: deactivate resolves at once and lets activate start afresh.
      await this.#client.deactivate();
      if (!this.#halted) this.#client.activate();
    } catch (error) {
      this.#onError('reconnect', error);
    }
  }

  /**
   * @param {string} destination
   * @param {Record<string, string>} headers
   */
  #subscribe(destination, headers) {
    if (!this.#client.connected) return false;
    if (this.#subscriptions.has(destination)) return true;
    const subscription = this.#client.subscribe(destination, (message) => this.#receive(destination, message.body), headers);
    this.#subscriptions.set(destination, subscription);
    return true;
  }

  /**
   * @param {string} destination
   * @param {string} body
   */
  #receive(destination, body) {
    let message;
    try {
      message = JSON.parse(body);
    } catch (error) {
      this.#onError(`unreadable message on ${destination}`, error);
      return;
    }
    this.#multiplexer.dispatch(message);
  }
}
