package dev.confab.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** Control messages on the fanout exchange that every instance's {@link ControlChannel} queue is bound to. */
final class AmqpInstanceBus implements InstanceBus {

	private static final Log logger = LogFactory.getLog(AmqpInstanceBus.class);

	private final RabbitTemplate amqp;

	AmqpInstanceBus(RabbitTemplate amqp) {
		this.amqp = amqp;
	}

	@Override
	public boolean sharedWithOthers() {
		return true;
	}

	@Override
	public boolean toEveryInstance(String message) {
		try {
			this.amqp.convertAndSend(ControlChannel.EXCHANGE, "", message);
			return true;
		}
		catch (AmqpException ex) {
			logger.warn("Control message not broadcast to the other instances: " + ex.getMessage());
			return false;
		}
	}
}
