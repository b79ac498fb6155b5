// Thin glue between a @stomp/stompjs Client and the multiplexer: every MESSAGE body is parsed
// as JSON and dispatched. The page module builds the Client (brokerURL, heartbeats, reconnect
// delay) and hands it in, so this module imports nothing and tests can pass a fake.

/**
 * The part of @stomp/stompjs's Client this adapter uses.
 * @typedef {object} StompClientLike
 * @property {boolean} connected
 * @property {(client?: any) => void | Promise<void>} beforeConnect
 * @property {(frame: StompFrameLike) => void} onConnect
 * @property {(frame: StompFrameLike) => void} onStompError
 * @property {(event: {code?: number, reason?: string}) => void} onWebSocketClose
 * @property {() => void} activate
 * @property {() => Promise<void>} deactivate
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
 *
 * @typedef {object} StompAdapterOptions
 * @property {string[]} [standing] destinations subscribed on every (re)connect, e.g. "/user/queue/events"
 * @property {(event: ConnectionEvent) => void} [onState]
 * @property {(what: string, error: unknown) => void} [onError]
 */

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
  #sessionUp = false;
  /** Counts connections, so that a receipt of an earlier one never reports the current one. */
  #connection = 0;

  /**
   * @param {StompClientLike} client
   * @param {{dispatch: (message: unknown) => void}} multiplexer
   * @param {StompAdapterOptions} [options]
   */
  constructor(client, multiplexer, { standing = [], onState, onError } = {}) {
    this.#client = client;
    this.#multiplexer = multiplexer;
    this.#standing = [...standing];
    this.#onState = onState ?? (() => {});
    this.#onError = onError ?? ((what, error) => console.error(`confab: ${what}`, error));
  }

  get connected() {
    return this.#client.connected;
  }

  /** Hooks into the client and opens the connection; stompjs reconnects by itself. */
  start() {
    const client = this.#client;
    client.beforeConnect = () => this.#onState({ state: 'connecting' });
    client.onConnect = () => {
      this.#sessionUp = true;
      this.#subscriptions.clear();
      // "connected" only once the broker confirmed every standing subscription: with RabbitMQ a
      // SUBSCRIBE is bound a moment later, and a join sent before would lose its first answers.
      const pending = new Set();
      const connection = ++this.#connection;
      for (const destination of this.#standing) {
        const receipt = `standing-${connection}-${pending.size}`;
        pending.add(receipt);
        client.watchForReceipt(receipt, () => {
          pending.delete(receipt);
          if (pending.size === 0 && this.#sessionUp && connection === this.#connection) {
            this.#onState({ state: 'connected' });
          }
        });
        this.#subscribe(destination, { receipt });
      }
      if (pending.size === 0) this.#onState({ state: 'connected' });
    };
    client.onStompError = (frame) => {
      const message = frame.headers?.message || 'the server reported an error';
      this.#onState({ state: 'error', message });
    };
    client.onWebSocketClose = (event) => {
      const wasConnected = this.#sessionUp;
      this.#sessionUp = false;
      // The server forgets a closed session's subscriptions (and its call): so do we.
      this.#subscriptions.clear();
      this.#onState({ state: 'lost', wasConnected, code: event?.code });
    };
    client.activate();
  }

  /** Closes the connection for good (no reconnect). */
  stop() {
    return this.#client.deactivate();
  }

  /**
   * Subscribes for the current connection only; a reconnect does not restore it.
   * @param {string} destination
   * @returns {boolean} false when not connected
   */
  subscribe(destination) {
    return this.#subscribe(destination, {});
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
