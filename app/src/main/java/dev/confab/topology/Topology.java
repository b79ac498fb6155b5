package dev.confab.topology;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Whether this instance runs alone or scaled out: {@code confab.broker.mode}, read here and
 * nowhere else.
 *
 * @param mode {@code embedded}: one instance, in-memory broker, nothing shared with others;
 *             {@code relay}: any number of instances on RabbitMQ (STOMP relay, control exchange)
 */
@Validated
@ConfigurationProperties(prefix = "confab.broker")
public record Topology(@DefaultValue("embedded") @NotNull Mode mode) {

	/** The two topologies, by the names the property takes. */
	public enum Mode {
		EMBEDDED, RELAY
	}
}
