package dev.confab.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.confab.stomp.BrokerProperties;

/**
 * Tells the instance that holds a session that its call ended (a removal decided on another
 * instance). With one instance that is a local event; with the relay it goes out on the control
 * exchange, which every instance (this one included) hears and turns into {@link SessionCallEnded}.
 */
@Component
public class SessionCallEnds {

	private static final Log logger = LogFactory.getLog(SessionCallEnds.class);

	private final ObjectProvider<RabbitTemplate> amqp;

	private final ApplicationEventPublisher events;

	private final boolean relay;

	SessionCallEnds(ObjectProvider<RabbitTemplate> amqp, ApplicationEventPublisher events, BrokerProperties broker) {
		this.amqp = amqp;
		this.events = events;
		this.relay = broker.isRelay();
	}

	public void end(String sessionId) {
		// This instance at once, whatever the broker does: the session may be one of ours.
		this.events.publishEvent(new SessionCallEnded(sessionId));
		if (this.relay) {
			try {
				this.amqp.getObject().convertAndSend(ControlChannel.EXCHANGE, "", ControlChannel.callEnded(sessionId));
			}
			catch (AmqpException ex) {
				logger.warn("End of a call not broadcast to the other instances: " + ex.getMessage());
			}
		}
	}
}
