/**
 * Confab's reactive STOMP transport: WebFlux WebSocket sessions bridged to spring-messaging's
 * client channels, codec, broker and user destinations (Spring ships this only for servlets).
 */
package dev.confab.stomp;
