package dev.confab.cluster;

import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * How this instance reaches the others: chosen once, by the topology (package {@code topology}).
 * The cluster's features (logout, the end of a call decided elsewhere, claiming instances left by
 * earlier runs) ask it, never the broker mode.
 */
public interface InstanceBus {

	/** Whether other instances may run beside this one; if not, rows left by earlier runs are dead ones. */
	boolean sharedWithOthers();

	/**
	 * Sends a control message (see {@link ControlChannel}) to every instance, this one included.
	 * @return false when it went nowhere: no other instance exists, or the broker refused
	 */
	boolean toEveryInstance(String message);

	/** One instance alone: nothing to send anywhere. */
	static InstanceBus thisInstanceOnly() {
		return new InstanceBus() {

			@Override
			public boolean sharedWithOthers() {
				return false;
			}

			@Override
			public boolean toEveryInstance(String message) {
				return false;
			}
		};
	}

	/** Several instances on RabbitMQ: the control exchange that {@link ControlChannel} declares and listens to. */
	static InstanceBus overAmqp(RabbitTemplate amqp) {
		return new AmqpInstanceBus(amqp);
	}
}
