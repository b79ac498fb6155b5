package dev.confab.stomp;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;

import dev.confab.identity.UserConnections;
import dev.confab.session.ClientSessionClosed;
import dev.confab.session.SessionControl;

/**
 * The STOMP sessions open on this instance: enforces the per-user cap, routes server requests
 * (refuse, unsubscribe, logout) to the right session, and announces each ended session once.
 */
class StompConnections implements StompConnection.Lifecycle, SessionControl, UserConnections {

	static final String SHUTTING_DOWN = "Server shutting down; reconnect.";

	static final String LOGGED_OUT = "Logged out.";

	/** How long after the drain period the last clients may take to close their sockets. */
	private static final Duration DRAIN_SLACK = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(StompConnections.class);

	private final Map<String, StompConnection> open = new ConcurrentHashMap<>();

	private volatile boolean draining;

	private final ApplicationEventPublisher events;

	private final StompProperties limits;

	private final BrokerAvailability broker;

	/** Given by {@link StompMetrics} once the registry is there; nothing connects before. */
	private volatile StompMetrics metrics = StompMetrics.detached();

	StompConnections(ApplicationEventPublisher events, StompProperties limits, BrokerAvailability broker) {
		this.events = events;
		this.limits = limits;
		this.broker = broker;
	}

	void opened(StompConnection connection) {
		this.open.put(connection.id(), connection);
	}

	void meterWith(StompMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public StompMetrics metrics() {
		return this.metrics;
	}

	/** Sessions past CONNECT (a socket that has not sent it yet is no session). */
	long connectedCount() {
		return this.open.values().stream().filter(StompConnection::isConnected).count();
	}

	@Override
	public Optional<String> connecting(StompConnection connection) {
		if (this.draining) {
			return Optional.of(SHUTTING_DOWN);
		}
		if (!this.broker.isAvailable()) {
			return Optional.of("The message broker is unavailable; reconnect in a moment.");
		}
		String user = connection.user().getName();
		long sessions = this.open.values().stream()
				.filter(other -> other.isConnected() && other.user().getName().equals(user))
				.count();
		if (sessions >= this.limits.maxSocketsPerUser()) {
			return Optional.of("Too many open connections for this user (at most "
					+ this.limits.maxSocketsPerUser() + ").");
		}
		return Optional.empty();
	}

	@Override
	public void ended(StompConnection connection, boolean wasConnected) {
		if (this.open.remove(connection.id()) != null && wasConnected) {
			this.events.publishEvent(new ClientSessionClosed(connection.id(), connection.user().getName(),
					!connection.endsCall()));
		}
	}

	Optional<StompConnection> find(String sessionId) {
		return Optional.ofNullable(this.open.get(sessionId));
	}

	Collection<StompConnection> all() {
		return this.open.values();
	}

	@Override
	public void refuse(String sessionId, String reason) {
		find(sessionId).ifPresent(connection -> connection.refuse(ErrorReason.APPLICATION, reason));
	}

	@Override
	public void shed(String sessionId, String reason) {
		find(sessionId).ifPresent(connection -> connection.refuseResumable(ErrorReason.BUSY, reason));
	}

	@Override
	public boolean isOpen(String sessionId) {
		return find(sessionId).map(StompConnection::isConnected).orElse(false);
	}

	@Override
	public boolean stillAuthenticated(String sessionId) {
		return find(sessionId).map(connection -> connection.isConnected() && connection.checkIdentity(Instant.now()))
				.orElse(false);
	}

	@Override
	public void closeAll(String userName) {
		this.open.values().stream()
				.filter(connection -> connection.user().getName().equals(userName))
				.forEach(connection -> connection.refuse(ErrorReason.LOGGED_OUT, LOGGED_OUT));
	}

	@Override
	public void refuseAll(String reason) {
		refuseAllResumable(ErrorReason.SERVER, reason);
	}

	/** Ends every session, each one's call kept for its resume. */
	void refuseAllResumable(ErrorReason why, String reason) {
		this.open.values().forEach(connection -> connection.refuseResumable(why, reason));
	}

	/** While the instance drains, new WebSocket handshakes are refused (503: nginx tries another instance). */
	boolean isDraining() {
		return this.draining;
	}

	/**
	 * The instance stops (readiness already says 503): new sockets are refused, and the clients are
	 * told to reconnect, spread over the drain period so that the instances they move to are not
	 * stormed. Returns once they are gone, or a little after the period; the graceful shutdown of
	 * the web server follows.
	 */
	@EventListener(ContextClosedEvent.class)
	void drainOnShutdown() {
		// Once: the management server's context closes within this one's close, and its
		// ContextClosedEvent reaches this listener too.
		if (this.draining) {
			return;
		}
		this.draining = true;
		List<StompConnection> clients = List.copyOf(this.open.values());
		long period = this.limits.drainPeriod().toNanos();
		long start = System.nanoTime();
		for (int i = 0; i < clients.size(); i++) {
			LockSupport.parkNanos(start + period * i / clients.size() - System.nanoTime());
			clients.get(i).refuseResumable(ErrorReason.SHUTDOWN, SHUTTING_DOWN);
		}
		long deadline = start + period + DRAIN_SLACK.toNanos();
		while (!this.open.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		logger.info("Moved " + clients.size() + " clients off this instance in "
				+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; " + this.open.size() + " still open");
	}

	/**
	 * Slow clients, sockets that never sent CONNECT and sessions whose identity expired are closed
	 * here, once a second.
	 */
	@Scheduled(fixedDelay = 1000)
	void checkTimeouts() {
		long now = System.nanoTime();
		Instant wallClock = Instant.now();
		long send = this.limits.sendTimeout().toNanos();
		long connect = this.limits.connectTimeout().toNanos();
		this.open.values().forEach(connection -> {
			connection.checkTimeouts(send, connect, now);
			connection.checkIdentity(wallClock);
		});
	}
}
