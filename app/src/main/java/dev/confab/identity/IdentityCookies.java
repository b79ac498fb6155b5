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
 * (8 bytes) and the screen name in UTF-8. Any instance that holds the key verifies it;
 * nothing is kept on the server. Cookie values and the key are never logged.
 */
@Component
public class IdentityCookies {

	static final String COOKIE_NAME = "confab_id";

	private static final String ALGORITHM = "HmacSHA256";

	private static final byte VERSION = 1;

	private static final int MAC_BYTES = 32;

	private static final int FIXED_PAYLOAD_BYTES = 1 + 16 + 8;

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

	/** A cookie that identifies {@code user} until the configured lifetime has passed. */
	public ResponseCookie issue(ConfabUser user, boolean secureRequest) {
		long expiry = clock.instant().plus(lifetime).getEpochSecond();
		byte[] name = user.screenName().getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(FIXED_PAYLOAD_BYTES + name.length)
			.put(VERSION)
			.putLong(user.id().getMostSignificantBits())
			.putLong(user.id().getLeastSignificantBits())
			.putLong(expiry)
			.put(name);
		String encoded = ENCODER.encodeToString(payload.array());
		String value = encoded + "." + ENCODER.encodeToString(mac(encoded));
		return cookie(value, lifetime, secureRequest);
	}

	/** A cookie that makes the browser drop the identity cookie. */
	public ResponseCookie expire(boolean secureRequest) {
		return cookie("", Duration.ZERO, secureRequest);
	}

	/** The user the cookie names; empty when it is forged, expired or malformed. */
	public Optional<ConfabUser> verify(String cookieValue) {
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

	private Optional<ConfabUser> parse(byte[] payload) {
		if (payload.length <= FIXED_PAYLOAD_BYTES || payload[0] != VERSION) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(payload, 1, payload.length - 1);
		UUID id = new UUID(buffer.getLong(), buffer.getLong());
		long expiry = buffer.getLong();
		if (clock.instant().getEpochSecond() >= expiry) {
			return Optional.empty();
		}
		try {
			String screenName = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(buffer)
				.toString();
			return Optional.of(new ConfabUser(id, screenName));
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
