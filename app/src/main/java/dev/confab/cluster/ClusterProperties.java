package dev.confab.cluster;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How instances tell each other that they are alive. A killed instance's participants are gone
 * from every room at most about {@code instanceTimeout + heartbeatInterval} after its last heartbeat.
 *
 * @param heartbeatInterval how often each instance writes its heartbeat and looks for dead ones
 * @param instanceTimeout   silence after which an instance counts as dead; several intervals,
 *                          so that one slow write does not kill a healthy instance
 */
@Validated
@ConfigurationProperties(prefix = "confab.cluster")
public record ClusterProperties(
		@DefaultValue("3s") @NotNull Duration heartbeatInterval,
		@DefaultValue("9s") @NotNull Duration instanceTimeout) {

	@AssertTrue(message = "instance-timeout must be at least twice heartbeat-interval, and the interval at least 100ms")
	boolean isTimingSound() {
		return heartbeatInterval == null || instanceTimeout == null
				|| heartbeatInterval.toMillis() >= 100 && instanceTimeout.compareTo(heartbeatInterval.multipliedBy(2)) >= 0;
	}
}
