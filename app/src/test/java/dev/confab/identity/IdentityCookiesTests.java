package dev.confab.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.ResponseCookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdentityCookiesTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final byte[] KEY = bytes(1);

	private final ConfabUser alice = new ConfabUser(UUID.randomUUID(), "Ålice ünïcode");

	@Test
	void roundTrip() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		ResponseCookie cookie = cookies.issue(alice, 0, false);
		assertThat(cookie.getName()).isEqualTo("confab_id").isEqualTo(cookies.cookieName());
		assertThat(cookies.verify(cookie.getValue()))
			.contains(new SignIn(alice, 0, NOW.plus(Duration.ofDays(7))));
	}

	@Test
	void theSignOutEpochTravelsSigned() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		String value = cookies.issue(alice, 41, false).getValue();
		assertThat(cookies.verify(value).map(SignIn::signOutEpoch)).contains(41L);
		String[] parts = value.split("\\.");
		byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
		payload[1 + 16 + 8 + 7] = 42; // the epoch's last byte: claim the next epoch, without the key
		assertThat(cookies.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1]))
			.isEmpty();
	}

	@Test
	void cookieAttributes() {
		ResponseCookie cookie = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).issue(alice, 0, false);
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.getMaxAge()).isEqualTo(Duration.ofDays(7));
		assertThat(cookie.isSecure()).isFalse();
		assertThat(cookie.getValue()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
	}

	@Test
	void secureFollowsTheSetting() {
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).issue(alice, 0, true).isSecure()).isTrue();
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.ALWAYS).issue(alice, 0, false).isSecure()).isTrue();
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.NEVER).issue(alice, 0, true).isSecure()).isFalse();
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.ALWAYS).expire(false).isSecure()).isTrue();
	}

	@Test
	void expireClearsTheCookie() {
		ResponseCookie cookie = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).expire(false);
		assertThat(cookie.getName()).isEqualTo("confab_id");
		assertThat(cookie.getValue()).isEmpty();
		assertThat(cookie.getMaxAge()).isEqualTo(Duration.ZERO);
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.isHttpOnly()).isTrue();
	}

	@Test
	void tamperedPayloadIsRefused() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		String value = cookies.issue(alice, 0, false).getValue();
		String[] parts = value.split("\\.");
		byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
		payload[payload.length - 1] ^= 1; // another screen name
		String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];
		assertThat(cookies.verify(forged)).isEmpty();
		// A later expiry, signed with nothing.
		byte[] extended = Base64.getUrlDecoder().decode(parts[0]);
		extended[17] = 0x7F;
		assertThat(cookies.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(extended) + "." + parts[1]))
			.isEmpty();
	}

	@Test
	void tamperedSignatureIsRefused() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		String value = cookies.issue(alice, 0, false).getValue();
		int dot = value.indexOf('.');
		byte[] mac = Base64.getUrlDecoder().decode(value.substring(dot + 1));
		mac[0] ^= 1;
		assertThat(cookies.verify(value.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(mac)))
			.isEmpty();
		assertThat(cookies.verify(value.substring(0, dot + 1))).isEmpty();
		assertThat(cookies.verify(value.substring(0, value.length() - 2))).isEmpty();
	}

	@Test
	void expiredCookieIsRefused() {
		String value = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).issue(alice, 0, false).getValue();
		Instant expiry = NOW.plus(Duration.ofDays(7));
		assertThat(cookies(KEY, expiry.minusSeconds(1), IdentityProperties.SecureCookie.AUTO).verify(value)
			.map(SignIn::user)).contains(alice);
		assertThat(cookies(KEY, expiry, IdentityProperties.SecureCookie.AUTO).verify(value)).isEmpty();
		assertThat(cookies(KEY, expiry.plus(Duration.ofDays(1)), IdentityProperties.SecureCookie.AUTO).verify(value))
			.isEmpty();
	}

	@Test
	void cookieSignedWithAnotherKeyIsRefused() {
		String value = cookies(bytes(2), NOW, IdentityProperties.SecureCookie.AUTO).issue(alice, 0, false).getValue();
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).verify(value)).isEmpty();
	}

	@Test
	void anotherInstanceWithTheSameKeyAccepts() {
		String value = cookies(bytes(1), NOW, IdentityProperties.SecureCookie.AUTO).issue(alice, 0, false).getValue();
		assertThat(cookies(bytes(1), NOW.plusSeconds(60), IdentityProperties.SecureCookie.AUTO).verify(value)
			.map(SignIn::user)).contains(alice);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "AAAA.AAAA", "a b.c d" })
	void malformedValuesAreRefused(String value) {
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).verify(value)).isEmpty();
	}

	@Test
	void nullAndHugeValuesAreRefused() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		assertThat(cookies.verify(null)).isEmpty();
		assertThat(cookies.verify("A".repeat(5000) + "." + "B".repeat(43))).isEmpty();
	}

	@Test
	void wellSignedButMalformedPayloadIsRefused() {
		IdentityCookies cookies = cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO);
		// Signed with the right key, but too short, of an unknown version, or not UTF-8.
		assertThat(cookies.verify(signed(new byte[] { 2, 2, 3 }))).isEmpty();
		byte[] payload = new byte[1 + 16 + 8 + 8 + 2];
		Arrays.fill(payload, (byte) 0x7F);
		payload[0] = 3;
		assertThat(cookies.verify(signed(payload))).isEmpty();
		payload[0] = 2;
		payload[payload.length - 1] = (byte) 0xFF;
		assertThat(cookies.verify(signed(payload))).isEmpty();
		payload[payload.length - 1] = 'x';
		assertThat(cookies.verify(signed(payload))).isPresent();
	}

	@Test
	void version1CookiesWithoutAnEpochAreRefused() {
		// Version 1: id, expiry, screen name; no epoch, so no logout could revoke it.
		byte[] payload = new byte[1 + 16 + 8 + 5];
		Arrays.fill(payload, (byte) 'x');
		payload[0] = 1;
		Arrays.fill(payload, 17, 25, (byte) 0x7F);
		assertThat(cookies(KEY, NOW, IdentityProperties.SecureCookie.AUTO).verify(signed(payload))).isEmpty();
	}

	@Test
	void shortKeysAreRefused() {
		IdentityProperties properties = new IdentityProperties(null, Duration.ofDays(7), IdentityProperties.SecureCookie.AUTO);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdentityCookies(properties, new byte[16], Clock.systemUTC()));
	}

	private static String signed(byte[] payload) {
		try {
			String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
			return encoded + "." + Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static IdentityCookies cookies(byte[] key, Instant now, IdentityProperties.SecureCookie secure) {
		IdentityProperties properties = new IdentityProperties(null, Duration.ofDays(7), secure);
		return new IdentityCookies(properties, key, Clock.fixed(now, ZoneOffset.UTC));
	}

	private static byte[] bytes(int seed) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) seed);
		return key;
	}
}
