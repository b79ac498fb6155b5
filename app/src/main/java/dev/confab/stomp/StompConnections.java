package dev.confab.stomp;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

	private final Map<String, StompConnection> open = new ConcurrentHashMap<>();

	private final ApplicationEventPublisher events;

	private final StompProperties limits;

	private final BrokerAvailability broker;

	StompConnections(ApplicationEventPublisher events, StompProperties limits, BrokerAvailability broker) {
		this.events = events;
		this.limits = limits;
		this.broker = broker;
	}

	void opened(StompConnection connection) {
		this.open.put(connection.id(), connection);
	}

	@Override
	public Optional<String> connecting(StompConnection connection) {
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
			this.events.publishEvent(new ClientSessionClosed(connection.id(), connection.user().getName()));
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
		find(sessionId).ifPresent(connection -> connection.refuse(reason));
	}

	@Override
	public boolean isOpen(String sessionId) {
		return find(sessionId).map(StompConnection::isConnected).orElse(false);
	}

	@Override
	public void unsubscribe(String sessionId, String destination) {
		find(sessionId).ifPresent(connection -> connection.unsubscribe(destination));
	}

	@Override
	public void closeAll(String userName) {
		this.open.values().stream()
				.filter(connection -> connection.user().getName().equals(userName))
				.forEach(connection -> connection.refuse("Logged out."));
	}

	@Override
	public void refuseAll(String reason) {
		this.open.values().forEach(connection -> connection.refuse(reason));
	}

	/**
	 * Tells every client at once when the instance stops, so that they reconnect (to another
	 * instance, or to this one when it is back) instead of waiting out the graceful shutdown.
	 */
	@EventListener(ContextClosedEvent.class)
	void closeAllOnShutdown() {
		refuseAll("Server shutting down; reconnect.");
	}

	/** Slow clients and sockets that never sent CONNECT are closed here, once a second. */
	@Scheduled(fixedDelay = 1000)
	void checkTimeouts() {
		long now = System.nanoTime();
		long send = this.limits.sendTimeout().toNanos();
		long connect = this.limits.connectTimeout().toNanos();
		this.open.values().forEach(connection -> connection.checkTimeouts(send, connect, now));
	}
}
