package dev.confab.topology;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.confab.cluster.ControlChannel;
import dev.confab.cluster.InstanceBus;
import dev.confab.relay.RelayConfiguration;
import dev.confab.stomp.BrokerProperties;
import dev.confab.stomp.StompBroker;

/**
 * The one place that decides how this instance is deployed, and builds what differs: the STOMP
 * broker (in memory, Confab's relay over AMQP, or spring-messaging's STOMP relay) and the bus to
 * the other instances (none, or the AMQP control exchange, which also makes the heartbeat claim
 * only silent instances). The transport and the cluster get the parts; neither reads the mode.
 */
@Configuration(proxyBeanMethods = false)
class TopologyConfiguration {

	/** One instance with nothing installed: embedded broker and database. The default. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(AloneCondition.class)
	static class Alone {

		@Bean
		StompBroker stompBroker() {
			return StompBroker.inMemory();
		}

		@Bean
		InstanceBus instanceBus() {
			return InstanceBus.thisInstanceOnly();
		}
	}

	/**
	 * Several instances behind a load balancer, sharing RabbitMQ and PostgreSQL: Confab's relay,
	 * a few AMQP connections per instance.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(ScaledOutCondition.class)
	@Import({ControlChannel.class, RelayConfiguration.class})
	static class ScaledOut {
	}

	/**
	 * Scaled out as before Confab had its relay: spring-messaging's STOMP relay, one broker
	 * connection per session. Kept as the baseline the benchmark measures the relay against.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(StompRelayCondition.class)
	@Import(ControlChannel.class)
	static class ScaledOutOverStomp {

		@Bean
		StompBroker stompBroker(RabbitProperties rabbit, BrokerProperties broker) {
			return StompBroker.rabbitRelay(rabbit, broker);
		}
	}

	/**
	 * The mode, bound as {@link Topology} binds it: a value that is neither mode stops the start
	 * with Boot's binding error, naming the property, instead of leaving every topology out.
	 */
	static Topology.Mode mode(ConditionContext context) {
		return Binder.get(context.getEnvironment()).bind("confab.broker.mode", Topology.Mode.class)
				.orElse(Topology.Mode.EMBEDDED);
	}

	/** Matches when {@code confab.broker.mode} is the given mode. */
	abstract static class ModeCondition implements Condition {

		private final Topology.Mode wanted;

		ModeCondition(Topology.Mode wanted) {
			this.wanted = wanted;
		}

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return mode(context) == this.wanted;
		}
	}

	static final class AloneCondition extends ModeCondition {

		AloneCondition() {
			super(Topology.Mode.EMBEDDED);
		}
	}

	static final class ScaledOutCondition extends ModeCondition {

		ScaledOutCondition() {
			super(Topology.Mode.RELAY);
		}
	}

	static final class StompRelayCondition extends ModeCondition {

		StompRelayCondition() {
			super(Topology.Mode.STOMP_RELAY);
		}
	}
}
