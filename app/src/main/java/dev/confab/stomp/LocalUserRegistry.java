package dev.confab.stomp;

import java.security.Principal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpSubscriptionMatcher;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;

/** spring-messaging's view of the users connected to this instance, read live from the open STOMP sessions. */
class LocalUserRegistry implements SimpUserRegistry {

	private final StompConnections connections;

	LocalUserRegistry(StompConnections connections) {
		this.connections = connections;
	}

	@Override
	public @Nullable SimpUser getUser(String userName) {
		return users().get(userName);
	}

	@Override
	public Set<SimpUser> getUsers() {
		return new HashSet<>(users().values());
	}

	@Override
	public int getUserCount() {
		return users().size();
	}

	@Override
	public Set<SimpSubscription> findSubscriptions(SimpSubscriptionMatcher matcher) {
		return users().values().stream()
				.flatMap(user -> user.getSessions().stream())
				.flatMap(session -> session.getSubscriptions().stream())
				.filter(matcher::match)
				.collect(Collectors.toSet());
	}

	private Map<String, LocalUser> users() {
		return this.connections.all().stream()
				.filter(StompConnection::isConnected)
				.collect(Collectors.groupingBy(connection -> connection.user().getName()))
				.entrySet().stream()
				.collect(Collectors.toMap(Map.Entry::getKey, entry -> new LocalUser(entry.getValue().get(0).user(),
						entry.getValue().stream().collect(Collectors.toMap(StompConnection::id, Function.identity())))));
	}

	private record LocalUser(Principal principal, Map<String, StompConnection> connections) implements SimpUser {

		@Override
		public String getName() {
			return this.principal.getName();
		}

		@Override
		public Principal getPrincipal() {
			return this.principal;
		}

		@Override
		public boolean hasSessions() {
			return !this.connections.isEmpty();
		}

		@Override
		public @Nullable SimpSession getSession(String sessionId) {
			StompConnection connection = this.connections.get(sessionId);
			return connection == null ? null : new LocalSession(this, connection);
		}

		@Override
		public Set<SimpSession> getSessions() {
			return this.connections.values().stream()
					.map(connection -> (SimpSession) new LocalSession(this, connection))
					.collect(Collectors.toSet());
		}
	}

	private record LocalSession(LocalUser user, StompConnection connection) implements SimpSession {

		@Override
		public String getId() {
			return this.connection.id();
		}

		@Override
		public SimpUser getUser() {
			return this.user;
		}

		@Override
		public Set<SimpSubscription> getSubscriptions() {
			return this.connection.subscriptions().entrySet().stream()
					.map(entry -> (SimpSubscription) new LocalSubscription(entry.getKey(), this, entry.getValue()))
					.collect(Collectors.toSet());
		}
	}

	private record LocalSubscription(String id, LocalSession session, String destination) implements SimpSubscription {

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public SimpSession getSession() {
			return this.session;
		}

		@Override
		public String getDestination() {
			return this.destination;
		}
	}
}
