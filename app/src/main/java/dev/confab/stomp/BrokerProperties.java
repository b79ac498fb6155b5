package dev.confab.stomp;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the relay reaches RabbitMQ's STOMP plugin, when the topology runs one (package
 * {@code topology} reads {@code confab.broker.mode}). Host, credentials and virtual host are
 * RabbitMQ's, shared with the AMQP side: {@code spring.rabbitmq.host}, {@code username},
 * {@code password}, {@code virtual-host}.
 *
 * @param stompPort       port of RabbitMQ's STOMP plugin
 * @param systemHeartbeat heart-beat of the relay's shared "system" connection, which also tells when the broker is gone
 */
@Validated
@ConfigurationProperties(prefix = "confab.broker")
public record BrokerProperties(
		@DefaultValue("61613") @Min(1) @Max(65535) int stompPort,
		@DefaultValue("10s") @NotNull Duration systemHeartbeat) {
}
