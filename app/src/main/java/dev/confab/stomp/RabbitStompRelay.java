package dev.confab.stomp;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;

/**
 * RabbitMQ's STOMP plugin behind spring-messaging's relay: one broker connection per client
 * session (heart-beats negotiated between the client and RabbitMQ) plus a shared system
 * connection for the server's own sends. User destinations need no registry broadcast here:
 * {@link SessionUserDestinationResolver} names one session's topic outright, whichever instance holds it.
 */
final class RabbitStompRelay implements StompBroker {

	private final RabbitProperties rabbit;

	private final BrokerProperties broker;

	RabbitStompRelay(RabbitProperties rabbit, BrokerProperties broker) {
		this.rabbit = rabbit;
		this.broker = broker;
	}

	@Override
	public void enable(MessageBrokerRegistry registry, TaskScheduler scheduler, long heartbeatMillis) {
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
				.setTaskScheduler(scheduler);
	}

	/** RabbitMQ answers the receipt once its binding exists: a receipt the client can trust. */
	@Override
	public boolean confirmsSubscriptions() {
		return true;
	}
}
