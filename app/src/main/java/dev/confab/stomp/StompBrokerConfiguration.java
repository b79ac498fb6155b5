package dev.confab.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;
import org.springframework.messaging.simp.config.AbstractMessageBrokerConfiguration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * spring-messaging's STOMP machinery (client channels, {@code @MessageMapping} handling, broker,
 * user destinations) wired for Confab's reactive transport instead of the servlet one.
 */
@Configuration
@EnableScheduling
class StompBrokerConfiguration extends AbstractMessageBrokerConfiguration {

	static final String APPLICATION_PREFIX = "/app";

	private final StompConnections connections;

	private final StompProperties limits;

	private final BrokerProperties broker;

	private final RabbitProperties rabbit;

	private final BrokerAvailability availability = new BrokerAvailability();

	StompBrokerConfiguration(ApplicationEventPublisher events, StompProperties limits, BrokerProperties broker,
			RabbitProperties rabbit) {
		this.limits = limits;
		this.broker = broker;
		this.rabbit = rabbit;
		this.connections = new StompConnections(events, limits, this.availability);
	}

	/** Also the {@code broker} health contributor (the bean name minus "HealthIndicator"). */
	@Bean
	BrokerAvailability brokerHealthIndicator() {
		return this.availability;
	}

	@Bean
	StompConnections stompConnections() {
		return this.connections;
	}

	@Override
	protected void configureMessageBroker(MessageBrokerRegistry registry) {
		long heartbeat = this.limits.heartbeat().toMillis();
		registry.setApplicationDestinationPrefixes(APPLICATION_PREFIX);
		registry.setUserDestinationPrefix(SessionUserDestinationResolver.PREFIX);
		registry.setPreservePublishOrder(true);
		registry.configureBrokerChannel().interceptors(new ServerSendsAsSystem());
		if (this.broker.isRelay()) {
			enableRelay(registry);
		}
		else {
			registry.enableSimpleBroker("/topic", "/queue")
					.setHeartbeatValue(new long[] {heartbeat, heartbeat})
					.setTaskScheduler(messageBrokerTaskScheduler());
		}
	}

	/**
	 * RabbitMQ's STOMP plugin behind spring-messaging's relay: one broker connection per client
	 * session (heart-beats negotiated between the client and RabbitMQ) plus a shared system
	 * connection for the server's own sends. User destinations need no registry broadcast here:
	 * {@link SessionUserDestinationResolver} names one session's topic outright, whichever instance holds it.
	 */
	private void enableRelay(MessageBrokerRegistry registry) {
		long systemHeartbeat = this.broker.systemHeartbeat().toMillis();
		registry.enableStompBrokerRelay("/topic", "/queue")
				.setRelayHost(this.rabbit.determineHost())
				.setRelayPort(this.broker.stompPort())
				.setVirtualHost(this.rabbit.determineVirtualHost())
				.setClientLogin(this.rabbit.determineUsername())
				.setClientPasscode(this.rabbit.determinePassword())
				.setSystemLogin(this.rabbit.determineUsername())
				.setSystemPasscode(this.rabbit.determinePassword())
				.setSystemHeartbeatSendInterval(systemHeartbeat)
				.setSystemHeartbeatReceiveInterval(systemHeartbeat)
				.setTaskScheduler(messageBrokerTaskScheduler());
	}

	@Override
	protected SimpUserRegistry createLocalUserRegistry(@Nullable Integer order) {
		return new LocalUserRegistry(this.connections);
	}

	@Bean
	@Override
	public UserDestinationResolver userDestinationResolver(SimpUserRegistry userRegistry,
			AbstractSubscribableChannel clientInboundChannel, AbstractSubscribableChannel clientOutboundChannel) {
		return new SessionUserDestinationResolver();
	}

	@Bean
	OutboundRouter outboundRouter(AbstractSubscribableChannel clientOutboundChannel) {
		OutboundRouter router = new OutboundRouter(this.connections);
		clientOutboundChannel.subscribe(router);
		return router;
	}

	@Bean
	ReceiptResponder receiptResponder(AbstractSubscribableChannel clientInboundChannel) {
		ReceiptResponder responder = new ReceiptResponder(this.connections);
		clientInboundChannel.subscribe(responder);
		return responder;
	}

	@EventListener
	void brokerAvailabilityChanged(BrokerAvailabilityEvent event) {
		this.availability.changed(event.isBrokerAvailable());
	}

	/** The servlet configuration does this itself; without it ordered sessions stall after one message. */
	@EventListener(ContextRefreshedEvent.class)
	void preserveInboundOrder() {
		OrderedMessageChannelDecorator.configureInterceptor(clientInboundChannel(clientInboundChannelExecutor()), true);
	}
}
