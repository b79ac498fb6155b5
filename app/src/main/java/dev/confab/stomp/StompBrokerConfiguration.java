package dev.confab.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.config.AbstractMessageBrokerConfiguration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * spring-messaging's STOMP machinery (client channels, {@code @MessageMapping} handling, broker,
 * user destinations) wired for Confab's reactive transport instead of the servlet one.
 */
@Configuration
@EnableScheduling
class StompBrokerConfiguration extends AbstractMessageBrokerConfiguration {

	static final String APPLICATION_PREFIX = "/app";

	/** What the clients are told when the broker goes away (spring-messaging's relay says the same). */
	static final String BROKER_LOST = "Connection to broker closed.";

	private final StompConnections connections;

	private final StompProperties limits;

	private final StompBroker broker;

	private final BrokerAvailability availability = new BrokerAvailability();

	StompBrokerConfiguration(ApplicationEventPublisher events, StompProperties limits, StompBroker broker) {
		this.limits = limits;
		this.broker = broker;
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
		registry.configureBrokerChannel().interceptors(new ServerSendsAsSystem());
		this.broker.enable(registry, messageBrokerTaskScheduler(), heartbeat);
	}

	/**
	 * Deliveries get no thread of their own: a message is encoded and queued for its socket, which never
	 * blocks ({@link OutboundBuffer}), on the thread that sent it. So one sender's messages reach a session
	 * in the order sent without spring-messaging's per-session reordering queue, and a delivery costs no
	 * hand-off to a pool (the socket's event loop takes the frame from there anyway).
	 */
	@Override
	protected void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.executor(new SyncTaskExecutor());
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

	@Bean
	@Override
	public @Nullable AbstractBrokerMessageHandler simpleBrokerMessageHandler(AbstractSubscribableChannel clientInboundChannel,
			AbstractSubscribableChannel clientOutboundChannel, AbstractSubscribableChannel brokerChannel,
			UserDestinationResolver userDestinationResolver) {
		AbstractBrokerMessageHandler configured = super.simpleBrokerMessageHandler(clientInboundChannel,
				clientOutboundChannel, brokerChannel, userDestinationResolver);
		return configured == null ? null : this.broker.handler(configured);
	}

	/** Messages sent while the broker was away are lost: every client resumes, and learns what it missed. */
	@EventListener
	void brokerAvailabilityChanged(BrokerAvailabilityEvent event) {
		boolean wasAvailable = this.availability.isAvailable();
		this.availability.changed(event.isBrokerAvailable());
		if (wasAvailable && !event.isBrokerAvailable()) {
			this.connections.refuseAllResumable(ErrorReason.BROKER, BROKER_LOST);
		}
	}

	/**
	 * The threads that handle the clients' frames, each session's in order ({@link SessionInbound});
	 * the client inbound channel itself calls its handlers on the thread that sends to it.
	 */
	@Bean
	ThreadPoolTaskExecutor stompInboundExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(2 * Runtime.getRuntime().availableProcessors());
		executor.setThreadNamePrefix("stomp-inbound-");
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Override
	protected void configureClientInboundChannel(ChannelRegistration registration) {
		registration.executor(new SyncTaskExecutor());
	}
}
