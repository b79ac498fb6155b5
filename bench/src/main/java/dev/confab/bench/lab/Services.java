package dev.confab.bench.lab;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL and RabbitMQ as the {@code CONFAB_TEST_*} variables name them (admin access; the bench
 * makes a database, a virtual host and a user of its own per run). {@code infra/local/confab-stack
 * services --test-env} prints them for this machine's own services.
 */
public record Services(String postgresUrl, String postgresUser, String postgresPassword, String rabbitHost,
		int amqpPort, int stompPort, int webStompPort, List<String> rabbitmqctl) {

	static final String HOW = "set the CONFAB_TEST_* variables: eval \"$(infra/local/confab-stack services --test-env)\"";

	/** The services, or why there are none. */
	public static Optional<Services> fromEnvironment(Map<String, String> env) {
		String url = value(env, "CONFAB_TEST_POSTGRES_URL");
		String host = value(env, "CONFAB_TEST_RABBITMQ_HOST");
		String ctl = value(env, "CONFAB_TEST_RABBITMQCTL");
		if (url == null || host == null || ctl == null) {
			return Optional.empty();
		}
		return Optional.of(new Services(url, orElse(env, "CONFAB_TEST_POSTGRES_USER", "postgres"),
				orElse(env, "CONFAB_TEST_POSTGRES_PASSWORD", ""), host,
				Integer.parseInt(orElse(env, "CONFAB_TEST_RABBITMQ_AMQP_PORT", "5672")),
				Integer.parseInt(orElse(env, "CONFAB_TEST_RABBITMQ_STOMP_PORT", "61613")),
				Integer.parseInt(orElse(env, "CONFAB_TEST_RABBITMQ_WEB_STOMP_PORT", "15674")),
				Arrays.asList(ctl.strip().split(" +"))));
	}

	/** What to do when {@link #fromEnvironment} found nothing. */
	public static String missing() {
		return "no PostgreSQL and RabbitMQ configured: " + HOW;
	}

	private static String value(Map<String, String> env, String name) {
		String value = env.get(name);
		return value == null || value.isBlank() ? null : value.strip();
	}

	private static String orElse(Map<String, String> env, String name, String fallback) {
		String value = env.get(name);
		return value == null ? fallback : value.strip();
	}
}
