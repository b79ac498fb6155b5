package dev.confab.stomp;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

import reactor.netty.http.server.WebsocketServerSpec;

import dev.confab.session.NonBlockingDestinations;
import dev.confab.session.SubscriptionPolicy;

/** The WebSocket endpoint that carries STOMP: URL, handshake checks and WebSocket frame limits. */
@Configuration
class StompEndpointConfiguration implements WebFluxConfigurer {

	private final StompProperties limits;

	private final StompConnections connections;

	StompEndpointConfiguration(StompProperties limits, StompConnections connections) {
		this.limits = limits;
		this.connections = connections;
	}

	@Bean
	HandlerMapping stompHandlerMapping(AbstractSubscribableChannel clientInboundChannel,
			StompConnections connections, SubscriptionPolicy subscriptionPolicy, StompBroker broker,
			SimpAnnotationMethodMessageHandler applicationHandlers, ThreadPoolTaskExecutor stompInboundExecutor,
			NonBlockingDestinations nonBlocking) {
		InboundRules rules = new InboundRules(subscriptionPolicy, new ApplicationDestinations(applicationHandlers),
				this.limits.maxSubscriptionsPerSession());
		StompWebSocketHandler handler = new StompWebSocketHandler(clientInboundChannel, stompInboundExecutor,
				nonBlocking, connections,
				rules, this.limits, broker.confirmsSubscriptions());
		return new SimpleUrlHandlerMapping(Map.of(this.limits.endpoint(), handler), -1);
	}

	/**
	 * WebSocket messages may be twice the STOMP frame limit, so that an oversized frame reaches
	 * the STOMP layer and is answered with an ERROR rather than a bare close.
	 */
	@Override
	public WebSocketService getWebSocketService() {
		int maxPayload = 2 * this.limits.maxFrameBytes();
		ReactorNettyRequestUpgradeStrategy strategy = new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxPayload));
		return new OriginCheckingWebSocketService(strategy, this.limits.allowedOrigins(), this.connections::isDraining);
	}
}
