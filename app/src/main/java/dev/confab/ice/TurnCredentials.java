package dev.confab.ice;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN REST credentials ("A REST API for Access to TURN Services"; coturn's {@code use-auth-secret}):
 * username {@code <expiry unix seconds>:<participant id>}, password the base64 of
 * HMAC-SHA1(shared secret, username). coturn accepts any expiry in the future, so the lifetime
 * cap is ours to enforce.
 */
public final class TurnCredentials {

	/** The longest lifetime Confab issues, whatever is configured. */
	public static final Duration MAX_LIFETIME = Duration.ofHours(24);

	private static final String HMAC = "HmacSHA1";

	private final byte[] secret;

	private final Duration lifetime;

	/**
	 * @param secret   the shared secret coturn has as {@code static-auth-secret}
	 * @param lifetime how long a credential is valid; at most {@link #MAX_LIFETIME}
	 */
	public TurnCredentials(String secret, Duration lifetime) {
		if (secret == null || secret.isBlank()) {
			throw new IllegalArgumentException("A TURN shared secret is required");
		}
		if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
			throw new IllegalArgumentException("TURN credential lifetime must be above zero and at most " + MAX_LIFETIME);
		}
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.lifetime = lifetime;
	}

	/** A credential for one participant, valid from now for the lifetime. */
	public Credential mint(String participantId, Instant now) {
		if (participantId.isEmpty() || participantId.indexOf(':') >= 0) {
			throw new IllegalArgumentException("A participant id must be non-empty and without ':'");
		}
		Instant expiry = now.plus(this.lifetime);
		String username = expiry.getEpochSecond() + ":" + participantId;
		return new Credential(username, password(username), expiry);
	}

	/** The password for a username: base64 of HMAC-SHA1 under the shared secret. */
	public String password(String username) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(new SecretKeySpec(this.secret, HMAC));
			return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA1 is part of every JDK", ex);
		}
	}

	/** What a browser puts in an RTCIceServer: {@code username}, {@code credential}, and when it stops working. */
	public record Credential(String username, String password, Instant expiresAt) {

		/** Never prints the password. */
		@Override
		public String toString() {
			return "Credential[username=" + this.username + ", expiresAt=" + this.expiresAt + "]";
		}
	}
}
