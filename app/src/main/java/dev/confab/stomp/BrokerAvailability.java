package dev.confab.stomp;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the broker can take messages right now, as its {@code BrokerAvailabilityEvent}s say.
 * The in-memory broker is available once started; the relay is available while its system
 * connection to RabbitMQ is up. It is the {@code broker} health contributor, part of readiness.
 */
public class BrokerAvailability implements HealthIndicator {

	private static final Log logger = LogFactory.getLog(BrokerAvailability.class);

	private volatile boolean available;

	void changed(boolean nowAvailable) {
		if (this.available != nowAvailable) {
			if (nowAvailable) {
				logger.info("Message broker available");
			}
			else {
				logger.warn("Message broker unavailable: new STOMP sessions are refused until it is back");
			}
		}
		this.available = nowAvailable;
	}

	public boolean isAvailable() {
		return this.available;
	}

	@Override
	public Health health() {
		return this.available ? Health.up().build() : Health.down().withDetail("reason", "message broker unavailable").build();
	}
}
