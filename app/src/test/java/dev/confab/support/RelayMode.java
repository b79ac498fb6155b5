package dev.confab.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import dev.confab.support.services.TestPostgres;
import dev.confab.support.services.TestRabbitMq;

/**
 * Runs the in-process server tests once more in the scaled-out mode: the broker relay to a real
 * RabbitMQ and a real PostgreSQL (the Maven surefire execution {@code relay-mode} sets
 * {@value #PROPERTY}{@code =relay}). Each test context gets its own database and virtual host,
 * removed when the context closes. Without the services the condition skips on a developer
 * machine and fails under CI=true.
 */
public final class RelayMode implements ApplicationContextInitializer<ConfigurableApplicationContext>, ExecutionCondition {

	static final String PROPERTY = "confab.test.broker-mode";

	static boolean requested() {
		return "relay".equals(System.getProperty(PROPERTY));
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (!requested()) {
			return ConditionEvaluationResult.enabled("embedded mode");
		}
		try {
			TestPostgres.require();
			TestRabbitMq.require();
			return ConditionEvaluationResult.enabled("relay mode with RabbitMQ and PostgreSQL");
		}
		catch (TestAbortedException ex) {
			return ConditionEvaluationResult.disabled(ex.getMessage());
		}
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (!requested()) {
			return;
		}
		TestPostgres database = TestPostgres.createDatabase();
		TestRabbitMq broker = TestRabbitMq.createVirtualHost();
		// Registered before any bean, so destroyed after all of them: the app lets go first.
		((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("relayModeServices", () -> {
			broker.close();
			database.close();
		});
		TestPropertyValues.of(
				"confab.broker.mode=relay",
				"confab.broker.stomp-port=" + broker.stompPort(),
				"spring.rabbitmq.host=" + broker.host(),
				"spring.rabbitmq.port=" + broker.amqpPort(),
				"spring.rabbitmq.username=" + broker.username(),
				"spring.rabbitmq.password=" + broker.password(),
				"spring.rabbitmq.virtual-host=" + broker.virtualHost(),
				"spring.r2dbc.url=" + database.r2dbcUrl(),
				"spring.r2dbc.username=" + database.username(),
				"spring.r2dbc.password=" + database.password(),
				// Dozens of contexts stay cached in one JVM: each holds few connections while idle, not Boot's 10.
				"spring.r2dbc.pool.initial-size=1",
				"spring.r2dbc.pool.max-idle-time=5s",
				"spring.flyway.url=" + database.jdbcUrl())
			.applyTo(context);
	}
}
