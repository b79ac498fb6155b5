package dev.confab.identity;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Issues and verifies the identity cookie: {@code base64url(payload) "." base64url(HMAC-SHA256(key, first part))}.
 * The payload is a version byte, the user id (16 bytes), the expiry in epoch seconds
 * (8 bytes), the user's sign-out epoch when it was issued (8 bytes) and the screen name in
 * UTF-8. Any instance that holds the key verifies the signature and expiry; whether logout has
 * revoked it meanwhile is the epoch's question ({@link SignOutEpochs}). Cookie values and the
 * key are never logged.
 */
@Component
public class IdentityCookies {

	static final String COOKIE_NAME = "confab_id";

	private static final String ALGORITHM = "HmacSHA256";

	/**
	 * 2 since cookies carry the sign-out epoch. Version 1 cookies (no epoch) are refused, not read
	 * as epoch 0: that costs each user one login after the upgrade, and leaves no kind of cookie
	 * that a logout cannot revoke.
	 */
	private static final byte VERSION = 2;

	private static final int MAC_BYTES = 32;

	private static final int FIXED_PAYLOAD_BYTES = 1 + 16 + 8 + 8;

	/** Far above any valid cookie (about 250 characters); refuses junk before decoding it. */
	private static final int MAX_VALUE_LENGTH = 1024;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	private final Duration lifetime;

	private final IdentityProperties.SecureCookie secureCookie;

	private final Clock clock;

	@Autowired
	IdentityCookies(IdentityProperties properties, @Value("${confab.data-dir:./data}") String dataDir) {
		this(properties, SigningKeys.resolve(properties.signingKey(), Path.of(dataDir)), Clock.systemUTC());
	}

	IdentityCookies(IdentityProperties properties, byte[] key, Clock clock) {
		if (key.length < SigningKeys.MIN_KEY_BYTES) {
			throw new IllegalArgumentException("Signing key too short");
		}
		this.key = new SecretKeySpec(key, ALGORITHM);
		this.lifetime = properties.cookieLifetime();
		this.secureCookie = properties.secureCookie();
		this.clock = clock;
	}

	public String cookieName() {
		return COOKIE_NAME;
	}

	/**
	 * A cookie that identifies {@code user} until the configured lifetime has passed, or until the
	 * user logs out: {@code signOutEpoch} is the user's current epoch ({@link SignOutEpochs#current}).
	 */
	public ResponseCookie issue(ConfabUser user, long signOutEpoch, boolean secureRequest) {
		long expiry = clock.instant().plus(lifetime).getEpochSecond();
		byte[] name = user.screenName().getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(FIXED_PAYLOAD_BYTES + name.length)
			.put(VERSION)
			.putLong(user.id().getMostSignificantBits())
			.putLong(user.id().getLeastSignificantBits())
			.putLong(expiry)
			.putLong(signOutEpoch)
			.put(name);
		String encoded = ENCODER.encodeToString(payload.array());
		String value = encoded + "." + ENCODER.encodeToString(mac(encoded));
		return cookie(value, lifetime, secureRequest);
	}

	/** A cookie that makes the browser drop the identity cookie. */
	public ResponseCookie expire(boolean secureRequest) {
		return cookie("", Duration.ZERO, secureRequest);
	}

	/**
	 * What the cookie says; empty when it is forged, expired, malformed or of version 1. Whether
	 * its epoch is still current is for the caller to ask.
	 */
	Optional<SignIn> verify(String cookieValue) {
		if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > MAX_VALUE_LENGTH) {
			return Optional.empty();
		}
		int dot = cookieValue.indexOf('.');
		if (dot <= 0 || dot != cookieValue.lastIndexOf('.')) {
			return Optional.empty();
		}
		String encoded = cookieValue.substring(0, dot);
		byte[] givenMac;
		byte[] payload;
		try {
			givenMac = DECODER.decode(cookieValue.substring(dot + 1));
			payload = DECODER.decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (givenMac.length != MAC_BYTES || !MessageDigest.isEqual(mac(encoded), givenMac)) {
			return Optional.empty();
		}
		return parse(payload);
	}

	private Optional<SignIn> parse(byte[] payload) {
		if (payload.length <= FIXED_PAYLOAD_BYTES || payload[0] != VERSION) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(payload, 1, payload.length - 1);
		UUID id = new UUID(buffer.getLong(), buffer.getLong());
		long expiry = buffer.getLong();
		long signOutEpoch = buffer.getLong();
		if (clock.instant().getEpochSecond() >= expiry) {
			return Optional.empty();
		}
		try {
			String screenName = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(buffer)
				.toString();
			// Only a test signs an expiry past Instant.MAX; the server's are days ahead.
			return Optional.of(new SignIn(new ConfabUser(id, screenName), signOutEpoch,
					Instant.ofEpochSecond(Math.min(expiry, Instant.MAX.getEpochSecond()))));
		}
		catch (CharacterCodingException ex) {
			return Optional.empty();
		}
	}

	private byte[] mac(String encodedPayload) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			// HmacSHA256 is a mandatory JCA algorithm: this cannot happen on a conforming JDK.
			throw new IllegalStateException(ALGORITHM + " unavailable", ex);
		}
	}

	private ResponseCookie cookie(String value, Duration maxAge, boolean secureRequest) {
		boolean secure = switch (secureCookie) {
			case ALWAYS -> true;
			case NEVER -> false;
			case AUTO -> secureRequest;
		};
		return ResponseCookie.from(COOKIE_NAME, value)
			.httpOnly(true)
			.secure(secure)
			.sameSite("Lax")
			.path("/")
			.maxAge(maxAge)
			.build();
	}

	/**
	 * Whether the request reached us over https, directly or, with
	 * {@code server.forward-headers-strategy} set, as the proxy's forwarded headers say.
	 */
	static boolean isSecure(ServerHttpRequest request) {
		return request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme());
	}
}
