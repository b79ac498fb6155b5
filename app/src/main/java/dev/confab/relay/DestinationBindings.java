package dev.confab.relay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;

/**
 * The destinations this instance's sessions follow, each bound once from the relay exchange to
 * the instance's queue while at least one session follows it. A bind returns once RabbitMQ has
 * confirmed it (bind-ok), so whoever waits for {@link #acquire} may tell its client the
 * subscription holds. One destination's bind and unbind never overlap; different ones do not wait
 * for each other.
 */
final class DestinationBindings {

	private static final Log logger = LogFactory.getLog(DestinationBindings.class);

	private final Map<String, Followers> followed = new ConcurrentHashMap<>();

	private final AmqpAdmin admin;

	private final String exchange;

	private final String queue;

	DestinationBindings(AmqpAdmin admin, String exchange, String queue) {
		this.admin = admin;
		this.exchange = exchange;
		this.queue = queue;
	}

	/** How many sessions of this instance follow a destination. */
	private static final class Followers {

		int count;

		boolean gone;
	}

	/** One more session follows the destination; binds it first if it is the first. */
	void acquire(String destination) {
		while (true) {
			Followers followers = this.followed.computeIfAbsent(destination, key -> new Followers());
			synchronized (followers) {
				if (followers.gone) {
					continue;
				}
				if (followers.count == 0) {
					try {
						this.admin.declareBinding(binding(destination));
					}
					catch (AmqpException ex) {
						followers.gone = true;
						this.followed.remove(destination, followers);
						throw ex;
					}
				}
				followers.count++;
				return;
			}
		}
	}

	/** One session less follows the destination; unbinds it after the last. */
	void release(String destination) {
		Followers followers = this.followed.get(destination);
		if (followers == null) {
			return;
		}
		synchronized (followers) {
			if (followers.gone || --followers.count > 0) {
				return;
			}
			try {
				this.admin.removeBinding(binding(destination));
			}
			catch (AmqpException ex) {
				// The broker is away: its exclusive queue, and every binding with it, went with the connection.
				logger.debug("Could not unbind " + destination + ": " + ex.getMessage());
			}
			// Only now: a new follower waits on this entry's lock until the unbind is done, then binds anew.
			followers.gone = true;
			this.followed.remove(destination, followers);
		}
	}

	/** After a reconnect the queue is new and bare: binds again what sessions still follow. */
	void rebindAll() {
		for (Map.Entry<String, Followers> each : List.copyOf(this.followed.entrySet())) {
			synchronized (each.getValue()) {
				if (!each.getValue().gone && each.getValue().count > 0) {
					this.admin.declareBinding(binding(each.getKey()));
				}
			}
		}
	}

	/** This instance's queue: its name, unique in the broker, also tells the instance's own messages apart. */
	String queue() {
		return this.queue;
	}

	int size() {
		return this.followed.size();
	}

	private Binding binding(String destination) {
		return new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, destination, null);
	}
}
