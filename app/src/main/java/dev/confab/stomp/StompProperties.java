package dev.confab.stomp;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the STOMP endpoint. The defaults are Spring's servlet-side figures where Spring has one.
 *
 * @param endpoint          path of the WebSocket endpoint
 * @param allowedOrigins    origins allowed besides the page's own (scheme://host[:port])
 * @param maxFrameBytes     largest STOMP frame accepted; an SDP offer is about 6 KB, so never lower than 64 KB
 * @param sendBufferBytes   bytes queued for one slow client before it is closed
 * @param sendTimeout       how long queued bytes may wait for the socket before the client is closed
 * @param connectTimeout    time from the socket opening to the CONNECT frame
 * @param heartbeat         server-side heart-beat interval offered to clients (both directions)
 * @param framesPerSecond   sustained inbound frames per session
 * @param frameBurst        inbound frames a session may send at once
 * @param maxSocketsPerUser open STOMP sessions one user may hold on one instance
 * @param drainPeriod       at shutdown, how long the instance takes to tell its clients, spread out, to reconnect elsewhere
 * @param maxSubscriptionsPerSession subscriptions one session may hold at once (each is a RabbitMQ queue in relay
 *                          mode); a page needs two (its events and the lobby or its room), the rest is margin
 */
@Validated
@ConfigurationProperties(prefix = "confab.stomp")
public record StompProperties(
		@DefaultValue("/stomp") @Pattern(regexp = "/[a-z0-9/-]+") String endpoint,
		@DefaultValue List<String> allowedOrigins,
		@DefaultValue("65536") @Min(65536) @Max(1048576) int maxFrameBytes,
		@DefaultValue("524288") @Min(65536) int sendBufferBytes,
		@DefaultValue("10s") @NotNull Duration sendTimeout,
		@DefaultValue("10s") @NotNull Duration connectTimeout,
		@DefaultValue("10s") @NotNull Duration heartbeat,
		@DefaultValue("50") @Min(1) int framesPerSecond,
		@DefaultValue("100") @Min(1) int frameBurst,
		@DefaultValue("8") @Min(1) int maxSocketsPerUser,
		@DefaultValue("3s") @NotNull Duration drainPeriod,
		@DefaultValue("4") @Min(2) @Max(100) int maxSubscriptionsPerSession) {
}
