package dev.confab.identity;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityPropertiesTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Config.class);

	@Test
	void defaults() {
		runner.run(context -> {
			IdentityProperties properties = context.getBean(IdentityProperties.class);
			assertThat(properties.signingKey()).isNull();
			assertThat(properties.cookieLifetime()).isEqualTo(Duration.ofDays(7));
			assertThat(properties.secureCookie()).isEqualTo(IdentityProperties.SecureCookie.AUTO);
		});
	}

	@Test
	void binds() {
		runner.withPropertyValues("confab.identity.signing-key=" + KEY, "confab.identity.cookie-lifetime=12h",
				"confab.identity.secure-cookie=always")
			.run(context -> {
				IdentityProperties properties = context.getBean(IdentityProperties.class);
				assertThat(properties.signingKey()).isEqualTo(KEY);
				assertThat(properties.cookieLifetime()).isEqualTo(Duration.ofHours(12));
				assertThat(properties.secureCookie()).isEqualTo(IdentityProperties.SecureCookie.ALWAYS);
			});
	}

	@Test
	void shortKeyFailsStartupWithoutPrintingIt() {
		String shortKey = Base64.getEncoder().encodeToString("sixteen bytes!!!".getBytes());
		runner.withPropertyValues("confab.identity.signing-key=" + shortKey).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageNotContaining(shortKey);
			assertThat(rootMessages(context.getStartupFailure())).contains("signingKeyUsable");
		});
	}

	@Test
	void tooShortLifetimeFailsStartup() {
		runner.withPropertyValues("confab.identity.cookie-lifetime=10s")
			.run(context -> assertThat(context).hasFailed());
	}

	@Test
	void toStringHidesTheKey() {
		IdentityProperties properties = new IdentityProperties(KEY, Duration.ofDays(7),
				IdentityProperties.SecureCookie.AUTO);
		assertThat(properties.toString()).doesNotContain(KEY).contains("<hidden>");
		assertThat(new IdentityProperties(null, Duration.ofDays(7), IdentityProperties.SecureCookie.AUTO).toString())
			.contains("<generated>");
	}

	private static String rootMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable t = failure; t != null; t = t.getCause()) {
			messages.append(t.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(IdentityProperties.class)
	static class Config {

	}
}
