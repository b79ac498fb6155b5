package dev.confab.stomp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.stereotype.Component;

/**
 * The transport's meters: sessions, frames by command, ERROR frames by {@link ErrorReason}, slow
 * clients closed, and the broker's state. Every tag comes from a small fixed set (commands,
 * reasons, causes), never a session, user or destination: each value is a series in Prometheus.
 */
@Component
class StompMetrics {

	/** The command tag of a heart-beat (a bare newline, no command). */
	static final String HEARTBEAT = "HEARTBEAT";

	private final MeterRegistry registry;

	private final Map<String, Counter> received = new ConcurrentHashMap<>();

	private final Map<String, Counter> sent = new ConcurrentHashMap<>();

	private final Map<ErrorReason, Counter> errors = new EnumMap<>(ErrorReason.class);

	private final Counter bufferFull;

	private final Counter sendTimeout;

	/** Registers the gauges, and hands itself to the session table, which the broker configuration creates. */
	@Autowired
	StompMetrics(MeterRegistry registry, StompConnections connections, BrokerAvailability broker) {
		this(registry);
		Gauge.builder("confab.stomp.sessions", connections, StompConnections::connectedCount)
			.description("STOMP sessions past CONNECT on this instance")
			.register(registry);
		Gauge.builder("confab.broker.connected", broker, availability -> availability.isAvailable() ? 1 : 0)
			.description("1 while the message broker takes messages (relay: the system connection to RabbitMQ is up), else 0")
			.register(registry);
		connections.meterWith(this);
	}

	private StompMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (ErrorReason reason : ErrorReason.values()) {
			this.errors.put(reason, Counter.builder("confab.stomp.errors")
				.tag("reason", reason.tag())
				.description("ERROR frames sent to clients, by where the refusal was decided")
				.register(registry));
		}
		this.bufferFull = slowCloses("buffer-full");
		this.sendTimeout = slowCloses("send-timeout");
	}

	/** Counts into a registry of its own that nobody reads: until the application's registry is given. */
	static StompMetrics detached() {
		return new StompMetrics(new CompositeMeterRegistry());
	}

	private Counter slowCloses(String cause) {
		return Counter.builder("confab.stomp.slow.closes")
			.tag("cause", cause)
			.description("Sessions closed because the client did not read: its send buffer filled, or bytes waited past the send time limit")
			.register(this.registry);
	}

	/** A frame decoded from a client; {@code null} for a heart-beat. */
	void received(@Nullable StompCommand command) {
		frames(this.received, "in", command).increment();
	}

	/** A frame queued for a client's socket; {@code null} for a heart-beat. */
	void sent(@Nullable StompCommand command) {
		frames(this.sent, "out", command).increment();
	}

	/** Commands are an enum, so each direction holds at most a dozen counters. */
	private Counter frames(Map<String, Counter> direction, String tag, @Nullable StompCommand command) {
		String name = command == null ? HEARTBEAT : command.name();
		return direction.computeIfAbsent(name, key -> Counter.builder("confab.stomp.frames")
			.tag("direction", tag)
			.tag("command", key)
			.description("STOMP frames from clients (in) and to them (out), by command")
			.register(this.registry));
	}

	void error(ErrorReason reason) {
		this.errors.get(reason).increment();
	}

	void closedForFullBuffer() {
		this.bufferFull.increment();
	}

	void closedForSendTimeout() {
		this.sendTimeout.increment();
	}
}
