/**
 * ICE servers for the browsers' peer connections: STUN and TURN URLs from configuration, and
 * short-lived TURN credentials minted per participant with the TURN REST scheme that coturn's
 * {@code use-auth-secret} checks.
 */
package dev.confab.ice;
