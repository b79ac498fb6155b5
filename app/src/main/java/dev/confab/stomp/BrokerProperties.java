package dev.confab.stomp;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which broker carries STOMP messages. Host, credentials and virtual host of the relay are
 * RabbitMQ's, shared with the AMQP side: {@code spring.rabbitmq.host}, {@code username},
 * {@code password}, {@code virtual-host}.
 *
 * @param mode            {@code embedded}: spring-messaging's in-memory broker, one instance only;
 *                        {@code relay}: RabbitMQ's STOMP plugin through the broker relay, any number of instances
 * @param stompPort       port of RabbitMQ's STOMP plugin
 * @param systemHeartbeat heart-beat of the relay's shared "system" connection, which also tells when the broker is gone
 */
@Validated
@ConfigurationProperties(prefix = "confab.broker")
public record BrokerProperties(
		@DefaultValue("embedded") @NotNull Mode mode,
		@DefaultValue("61613") @Min(1) @Max(65535) int stompPort,
		@DefaultValue("10s") @NotNull Duration systemHeartbeat) {

	/** The two broker modes. */
	public enum Mode {
		EMBEDDED, RELAY
	}

	public boolean isRelay() {
		return this.mode == Mode.RELAY;
	}
}
