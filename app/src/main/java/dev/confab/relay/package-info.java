/**
 * Confab's own relay for several instances: a few AMQP connections to RabbitMQ per instance, not
 * one per session. Each instance binds its one exclusive queue to the destinations its sessions
 * follow and fans messages out to them itself, with spring-messaging's simple broker; its own sends
 * reach its own sessions without the broker.
 */
package dev.confab.relay;
