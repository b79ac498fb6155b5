package dev.confab.identity;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the identity cookie.
 *
 * @param signingKey base64 (standard or URL-safe) of at least 32 random bytes; every
 * instance behind one load balancer needs the same key. When absent, a key is generated
 * once and kept in {@code ${confab.data-dir}/identity.key}, which suits one instance.
 * @param cookieLifetime how long a login lasts
 * @param secureCookie when the cookie carries the {@code Secure} attribute
 */
@Validated
@ConfigurationProperties(prefix = "confab.identity")
record IdentityProperties(
		@Nullable String signingKey,
		@NotNull @DurationMin(minutes = 1) @DurationMax(days = 400) @DefaultValue("7d") Duration cookieLifetime,
		@NotNull @DefaultValue("auto") SecureCookie secureCookie) {

	/** When the identity cookie is marked {@code Secure}. */
	enum SecureCookie {
		/** Always: right behind a TLS-terminating proxy that does not forward the scheme. */
		ALWAYS,
		/** Never: plain-http development on a host other than localhost. */
		NEVER,
		/** When the request came over https (directly or as forwarded headers say). */
		AUTO
	}

	@AssertTrue(message = "must be base64 of at least " + SigningKeys.MIN_KEY_BYTES + " bytes, or left out")
	boolean isSigningKeyUsable() {
		return signingKey == null || signingKey.isBlank() || SigningKeys.isUsable(signingKey);
	}

	/** Never prints the key. */
	@Override
	public String toString() {
		String key = (signingKey == null || signingKey.isBlank()) ? "<generated>" : "<hidden>";
		return "IdentityProperties[signingKey=" + key + ", cookieLifetime=" + cookieLifetime
				+ ", secureCookie=" + secureCookie + "]";
	}
}
