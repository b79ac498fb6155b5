package dev.confab.cluster;

/**
 * This instance missed its heartbeats long enough for the others to declare it dead and clean
 * up after it (a long pause, a lost database). Its live sessions now belong to nobody.
 */
public record MembershipLost(String instanceId) {
}
