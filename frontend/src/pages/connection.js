// The page's one STOMP connection: builds the stompjs Client, the multiplexer with its htmx
// sinks, and the adapter between them. Shared by the lobby and the room page.

// @ts-ignore: a URL the app serves from the webjar; its types are in types/globals.d.ts
import * as stompjs from '/webjars/stomp__stompjs/7.2.1/esm6/index.js';
import { Multiplexer } from '../mux/multiplexer.js';
import { IDLE_MAX_DELAY_MS, IN_CALL_MAX_DELAY_MS, StompAdapter, reconnectDelay } from '../mux/stomp-adapter.js';

const { Client } = /** @type {typeof import('confab:stompjs')} */ (stompjs);

/** Both directions, as docs/protocol.md asks; the server beats at least every 10 s. */
const HEARTBEAT_MS = 10000;
/** The server closes a socket that has not sent CONNECT within 10 s; give up on it as well. */
const CONNECT_TIMEOUT_MS = 10000;

/**
 * @param {Location} location
 * @returns {string} ws(s)://<host>/stomp on the page's own origin
 */
export function stompUrl(location) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stomp`;
}

/**
 * Applies a server fragment: htmx swaps every element that carries hx-swap-oob into the page.
 * swapStyle "none" inserts nothing else; no transition keeps the swap synchronous, so a tile
 * exists before the rtc event that follows it in the same message is handled.
 * @param {string} html
 */
export function swapOutOfBand(html) {
  htmx.swap(document.body, html, { swapStyle: 'none', transition: false });
}

/** @param {string} selector */
export function removeElement(selector) {
  document.querySelector(selector)?.remove();
}

/**
 * @typedef {object} ConnectionOptions
 * @property {string[]} standing subscribed on every connection, confirmed before "connected"
 * @property {(event: import('../mux/stomp-adapter.js').ConnectionEvent) => void} onState
 * @property {() => boolean} [inCall] while true, reconnect attempts are at most 5 s apart
 * @property {() => void} [afterHtml] runs after each server fragment was swapped in
 * @property {() => boolean} [onPageHide] the page is going away; true: handled, do not DISCONNECT
 */

/**
 * Opens the connection; the adapter keeps reconnecting (see stomp-adapter.js).
 * @param {ConnectionOptions} options
 */
export function openConnection({ standing, onState, inCall = () => false, afterHtml = () => {}, onPageHide = () => false }) {
  const multiplexer = new Multiplexer({
    html: (html) => {
      swapOutOfBand(html);
      afterHtml();
    },
    remove: removeElement,
  });
  const client = new Client({
    brokerURL: stompUrl(window.location),
    heartbeatIncoming: HEARTBEAT_MS,
    heartbeatOutgoing: HEARTBEAT_MS,
    reconnectDelay: 0, // the adapter reconnects, with its own back-off
    connectionTimeout: CONNECT_TIMEOUT_MS,
    // A socket that missed its heartbeats is dropped at once, not after a close handshake
    // that a dead network never completes.
    discardWebsocketOnCommFailure: true,
    debug: () => {},
  });
  const adapter = new StompAdapter(client, multiplexer, {
    standing,
    onState,
    backoff: (attempt) => reconnectDelay(attempt, inCall() ? IN_CALL_MAX_DELAY_MS : IDLE_MAX_DELAY_MS),
  });
  adapter.start();
  window.addEventListener('online', () => adapter.retryNow());
  // Leaving the page ends the session, unless the page says otherwise (a call waits for a
  // reload to resume it). A page restored from the back/forward cache would hold a dead
  // connection and call: load it afresh.
  window.addEventListener('pagehide', () => {
    if (!onPageHide()) adapter.stop();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  return { multiplexer, adapter };
}
