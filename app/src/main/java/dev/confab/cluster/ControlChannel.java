package dev.confab.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AsyncConsumerRestartedEvent;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.health.RabbitHealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

import dev.confab.identity.UserConnections;

/**
 * Control messages between instances over AMQP (spring-boot-starter-amqp), imported by the
 * topology when scaled out (not a scanned configuration: package {@code topology} decides): a
 * fanout exchange, and on it one exclusive auto-delete queue per instance that RabbitMQ drops
 * with the instance's connection. Boot's RabbitAdmin declares both, again after every reconnect.
 * Messages are plain text, {@code logout:<user id>}, {@code call-ended:<session id>} or
 * {@code room-call:<payload>} ({@link RoomCallNews}); anything else is ignored.
 */
public class ControlChannel {

	static final String EXCHANGE = "confab.control";

	private static final String LOGOUT = "logout:";

	private static final String CALL_ENDED = "call-ended:";

	private static final String ROOM_CALL = "room-call:";

	private static final Log logger = LogFactory.getLog(ControlChannel.class);

	static String logout(String userName) {
		return LOGOUT + userName;
	}

	static String callEnded(String sessionId) {
		return CALL_ENDED + sessionId;
	}

	static String roomCall(String payload) {
		return ROOM_CALL + payload;
	}

	@Bean
	InstanceBus instanceBus(RabbitTemplate template) {
		return InstanceBus.overAmqp(template);
	}

	@Bean
	FanoutExchange controlExchange() {
		return new FanoutExchange(EXCHANGE, true, false);
	}

	@Bean
	AnonymousQueue controlQueue() {
		return new AnonymousQueue(new Base64UrlNamingStrategy("confab.control."));
	}

	@Bean
	Binding controlBinding(AnonymousQueue controlQueue, FanoutExchange controlExchange) {
		return BindingBuilder.bind(controlQueue).to(controlExchange);
	}

	@Bean
	SimpleMessageListenerContainer controlListener(ConnectionFactory connections, AnonymousQueue controlQueue,
			UserConnections local, ApplicationEventPublisher events) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
		container.setQueues(controlQueue);
		container.setMessageListener((Message message) -> {
			String body = new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8);
			if (body.startsWith(LOGOUT)) {
				local.closeAll(body.substring(LOGOUT.length()));
			}
			else if (body.startsWith(CALL_ENDED)) {
				events.publishEvent(new SessionCallEnded(body.substring(CALL_ENDED.length())));
			}
			else if (body.startsWith(ROOM_CALL)) {
				events.publishEvent(new RoomCallNewsReceived(body.substring(ROOM_CALL.length())));
			}
			else {
				logger.debug("Ignored control message");
			}
		});
		return container;
	}

	/**
	 * The listener's consumer came back after its connection dropped: the exclusive queue was
	 * declared anew, empty, so whatever was sent in between is lost.
	 */
	@Bean
	ApplicationListener<AsyncConsumerRestartedEvent> controlMessagesMissed(ApplicationEventPublisher events) {
		return restarted -> events.publishEvent(new ControlMessagesMissed());
	}

	/** RabbitMQ over AMQP in /actuator/health (not in readiness: calls run on the STOMP relay). */
	@Bean
	RabbitHealthIndicator rabbitHealthIndicator(RabbitTemplate template) {
		return new RabbitHealthIndicator(template);
	}
}
