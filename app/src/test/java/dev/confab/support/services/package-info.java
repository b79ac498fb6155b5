/**
 * Real services for the integration tests: PostgreSQL, RabbitMQ, nginx and Confab instances as
 * separate processes, from {@code CONFAB_TEST_*} variables or Testcontainers.
 */
package dev.confab.support.services;
