/**
 * How an instance is deployed, alone or scaled out, decided in one place: it picks the STOMP
 * broker for {@code stomp} and the bus to the other instances for {@code cluster}.
 */
package dev.confab.topology;
