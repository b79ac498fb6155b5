/**
 * The scaled-out mode end to end: real Confab processes (the packaged jar) on one RabbitMQ and one
 * PostgreSQL, run by maven-failsafe after {@code package} ({@code *IT}).
 */
package dev.confab.scale;
