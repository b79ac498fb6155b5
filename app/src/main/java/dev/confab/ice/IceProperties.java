package dev.confab.ice;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * ICE servers handed to participants when they join. Nothing here reaches a page: credentials
 * go only to a participant's own STOMP destination.
 *
 * @param stunUrls           STUN URLs, e.g. {@code stun:turn.example.org:3478}
 * @param turnUrls           TURN URLs of servers sharing the secrets, e.g.
 *                           {@code turn:turn.example.org:3478?transport=udp},
 *                           {@code turns:turn.example.org:443?transport=tcp}
 * @param turnSecrets        coturn's {@code static-auth-secret}s; the first signs new credentials.
 *                           During a rotation coturn lists the new and the old secret, Confab signs
 *                           with the new one (see coturn/README.md)
 * @param credentialLifetime how long a TURN credential works; clients fetch a new one at three
 *                           quarters of it. At most 24 h: coturn accepts any future expiry
 */
@Validated
@ConfigurationProperties(prefix = "confab.ice")
public record IceProperties(
		@DefaultValue List<String> stunUrls,
		@DefaultValue List<String> turnUrls,
		@DefaultValue List<String> turnSecrets,
		@DefaultValue("1h") @NotNull @DurationMin(seconds = 20) @DurationMax(hours = 24) Duration credentialLifetime) {

	public boolean hasTurn() {
		return !this.turnUrls.isEmpty();
	}

	@AssertTrue(message = "TURN URLs need confab.ice.turn-secrets (coturn's static-auth-secret)")
	boolean isTurnSigned() {
		return this.turnUrls == null || this.turnUrls.isEmpty()
				|| this.turnSecrets != null && this.turnSecrets.stream().anyMatch(secret -> !secret.isBlank());
	}

	@AssertTrue(message = "ICE URLs start with stun:, stuns:, turn: or turns:")
	boolean isEveryUrlIce() {
		return allStartWith(this.stunUrls, "stun:", "stuns:") && allStartWith(this.turnUrls, "turn:", "turns:");
	}

	private static boolean allStartWith(List<String> urls, String... schemes) {
		return urls == null || urls.stream().allMatch(url -> List.of(schemes).stream().anyMatch(url::startsWith));
	}

	/** Never prints the secrets. */
	@Override
	public String toString() {
		return "IceProperties[stunUrls=" + this.stunUrls + ", turnUrls=" + this.turnUrls + ", turnSecrets=<"
				+ (this.turnSecrets == null ? 0 : this.turnSecrets.size()) + " hidden>, credentialLifetime="
				+ this.credentialLifetime + "]";
	}
}
