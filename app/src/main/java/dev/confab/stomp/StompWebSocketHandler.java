package dev.confab.stomp;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.messaging.MessageChannel;
import org.springframework.security.core.Authentication;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Mono;

import dev.confab.identity.ExpiringIdentity;
import dev.confab.session.NonBlockingDestinations;

/**
 * Bridges one WebFlux WebSocket to one {@link StompConnection}: frames in go to the connection,
 * frames it queues go out, and the socket closing (however it closes) ends the STOMP session.
 */
class StompWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(StompWebSocketHandler.class);

	private final MessageChannel clientInboundChannel;

	private final Executor inboundExecutor;

	private final NonBlockingDestinations nonBlocking;

	private final StompConnections connections;

	private final InboundRules rules;

	private final ServerFrames frames = new ServerFrames();

	private final StompProperties limits;

	/** Relay mode: RabbitMQ answers SUBSCRIBE/UNSUBSCRIBE receipts (see StompConnection#takeReceipt). */
	private final boolean brokerConfirmsSubscriptions;

	StompWebSocketHandler(MessageChannel clientInboundChannel, Executor inboundExecutor, NonBlockingDestinations nonBlocking,
			StompConnections connections, InboundRules rules, StompProperties limits, boolean brokerConfirmsSubscriptions) {
		this.nonBlocking = nonBlocking;
		this.brokerConfirmsSubscriptions = brokerConfirmsSubscriptions;
		this.clientInboundChannel = clientInboundChannel;
		this.inboundExecutor = inboundExecutor;
		this.connections = connections;
		this.rules = rules;
		this.limits = limits;
	}

	@Override
	public List<String> getSubProtocols() {
		return List.of("v12.stomp", "v11.stomp", "v10.stomp");
	}

	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		// Only identities with a known end are served: the session must end when its identity does.
		return socket.getHandshakeInfo().getPrincipal()
				.filter(ExpiringIdentity.class::isInstance)
				.flatMap(principal -> serve(socket, user(principal), ((ExpiringIdentity) principal).expiresAt()))
				.switchIfEmpty(Mono.defer(() -> socket.close(CloseStatus.POLICY_VIOLATION)));
	}

	private Mono<Void> serve(WebSocketSession socket, Principal user, Instant identityExpiresAt) {
		// Per-session order on a pool of threads (or this one): frames are handled in the order sent.
		MessageChannel ordered = new SessionInbound(this.clientInboundChannel, this.inboundExecutor, this.nonBlocking);
		StompConnection connection = new StompConnection(user, identityExpiresAt, ordered, this.rules, this.frames, this.connections,
				this.limits, this.brokerConfirmsSubscriptions);
		// Closing a socket the peer already dropped fails; the session ends either way.
		connection.onAbort(() -> socket.close(CloseStatus.POLICY_VIOLATION)
				.subscribe(null, ex -> logger.debug("Close of an already closed socket: " + ex.getMessage())));
		this.connections.opened(connection);

		Mono<Void> inbound = socket.receive()
				.filter(StompWebSocketHandler::carriesStomp)
				.doOnNext(message -> connection.receive(copy(message)))
				.then()
				.doFinally(signal -> connection.closed());
		Mono<Void> outbound = socket.send(connection.outboundFrames()
						.map(bytes -> new WebSocketMessage(WebSocketMessage.Type.TEXT, socket.bufferFactory().wrap(bytes))))
				.then(Mono.defer(socket::close));
		return Mono.when(inbound, outbound)
				.doFinally(signal -> connection.closed());
	}

	/** Ping, pong and close are WebSocket control frames: their payload is never a STOMP frame. */
	private static boolean carriesStomp(WebSocketMessage message) {
		return message.getType() == WebSocketMessage.Type.TEXT || message.getType() == WebSocketMessage.Type.BINARY;
	}

	/** Reactor Netty releases the frame's buffer once this returns, so take the bytes now. */
	private static byte[] copy(WebSocketMessage message) {
		DataBuffer payload = message.getPayload();
		byte[] bytes = new byte[payload.readableByteCount()];
		payload.read(bytes);
		return bytes;
	}

	/** The STOMP user is the identity the cookie proved, not the security framework's wrapper around it. */
	private static Principal user(Principal principal) {
		if (principal instanceof Authentication authentication
				&& authentication.getPrincipal() instanceof Principal inner) {
			return inner;
		}
		return principal;
	}
}
