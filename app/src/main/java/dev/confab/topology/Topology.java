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
 *             {@code relay}: any number of instances on RabbitMQ (Confab's relay over AMQP, control
 *             exchange); {@code stomp-relay}: the same over spring-messaging's STOMP relay, one
 *             broker connection per session (the benchmark's baseline)
 */
@Validated
@ConfigurationProperties(prefix = "confab.broker")
public record Topology(@DefaultValue("embedded") @NotNull Mode mode) {

	/** The topologies, by the names the property takes ({@code stomp-relay} for STOMP_RELAY). */
	public enum Mode {
		EMBEDDED, RELAY, STOMP_RELAY
	}
}
