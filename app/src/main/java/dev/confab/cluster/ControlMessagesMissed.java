package dev.confab.cluster;

/**
 * This instance's control queue was gone for a while (its broker connection dropped, and with it the
 * exclusive queue): control messages sent meanwhile never reached it, so what it learnt from them
 * may be stale.
 */
public record ControlMessagesMissed() {
}
