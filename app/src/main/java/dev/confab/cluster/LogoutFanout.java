package dev.confab.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.confab.identity.UserConnections;
import dev.confab.identity.UserLoggedOut;
import dev.confab.stomp.BrokerProperties;

/**
 * Logout closes the user's sockets on every instance. With one instance that is a local call;
 * with the relay the request goes out on the control exchange, which every instance (this one
 * included) hears. Should RabbitMQ refuse, at least this instance's sockets close.
 */
@Component
class LogoutFanout {

	private static final Log logger = LogFactory.getLog(LogoutFanout.class);

	private final UserConnections local;

	private final ObjectProvider<RabbitTemplate> amqp;

	private final boolean relay;

	LogoutFanout(UserConnections local, ObjectProvider<RabbitTemplate> amqp, BrokerProperties broker) {
		this.local = local;
		this.amqp = amqp;
		this.relay = broker.isRelay();
	}

	@EventListener
	void loggedOut(UserLoggedOut event) {
		if (this.relay) {
			try {
				this.amqp.getObject().convertAndSend(ControlChannel.EXCHANGE, "", ControlChannel.logout(event.userName()));
				return;
			}
			catch (AmqpException ex) {
				logger.warn("Logout not broadcast to the other instances: " + ex.getMessage());
			}
		}
		this.local.closeAll(event.userName());
	}
}
