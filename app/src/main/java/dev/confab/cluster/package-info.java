/**
 * Confab instances as a group: each one heartbeats into the shared database, and the survivors
 * claim an instance that stopped, so that the features can clean up after it exactly once.
 */
package dev.confab.cluster;
