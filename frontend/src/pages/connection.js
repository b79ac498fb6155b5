// The page's one STOMP connection: builds the stompjs Client, the multiplexer with its htmx
// sinks, and the adapter between them. Shared by the lobby and the room page.

// @ts-ignore: a URL the app serves from the webjar; its types are in types/globals.d.ts
import * as stompjs from '/webjars/stomp__stompjs/7.2.1/esm6/index.js';
import { Multiplexer } from '../mux/multiplexer.js';
import { StompAdapter } from '../mux/stomp-adapter.js';

const { Client, ReconnectionTimeMode } = /** @type {typeof import('confab:stompjs')} */ (stompjs);

/** Both directions, as docs/protocol.md asks; the server beats at least every 10 s. */
const HEARTBEAT_MS = 10000;
/** First retry after a second, doubling up to half a minute. */
const RECONNECT_DELAY_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 30000;
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
 * Opens the connection (stompjs keeps reconnecting by itself).
 * @param {{standing: string[], onState: (event: import('../mux/stomp-adapter.js').ConnectionEvent) => void}} options
 */
export function openConnection({ standing, onState }) {
  const multiplexer = new Multiplexer({ html: swapOutOfBand, remove: removeElement });
  const client = new Client({
    brokerURL: stompUrl(window.location),
    heartbeatIncoming: HEARTBEAT_MS,
    heartbeatOutgoing: HEARTBEAT_MS,
    reconnectDelay: RECONNECT_DELAY_MS,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    maxReconnectDelay: MAX_RECONNECT_DELAY_MS,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    debug: () => {},
  });
  const adapter = new StompAdapter(client, multiplexer, { standing, onState });
  adapter.start();
  // Leaving the page ends the session (the server takes us out of the call). A page restored
  // from the back/forward cache would hold a dead call: load it afresh.
  window.addEventListener('pagehide', () => adapter.stop());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  return { multiplexer, adapter };
}
