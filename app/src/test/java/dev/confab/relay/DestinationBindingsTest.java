package dev.confab.relay;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One binding per followed destination, however many sessions follow it, and never a bind and unbind at once. */
class DestinationBindingsTest {

	/** What the broker was asked, in order: "+dest" for a bind, "-dest" for an unbind. */
	private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

	private final AtomicBoolean brokerAway = new AtomicBoolean();

	private final DestinationBindings bindings = new DestinationBindings(recordingAdmin(), "confab.relay", "confab.relay.q");

	@Test
	void theFirstFollowerBindsAndTheLastUnbinds() {
		this.bindings.acquire("/topic/lobby");
		this.bindings.acquire("/topic/lobby");
		this.bindings.release("/topic/lobby");
		assertThat(this.asked).containsExactly("+/topic/lobby");
		this.bindings.release("/topic/lobby");
		assertThat(this.asked).containsExactly("+/topic/lobby", "-/topic/lobby");
		this.bindings.release("/topic/lobby");
		assertThat(this.asked).hasSize(2);
		assertThat(this.bindings.size()).isZero();
	}

	@Test
	void aFailedBindIsTriedAgainByTheNextFollower() {
		this.brokerAway.set(true);
		assertThatThrownBy(() -> this.bindings.acquire("/topic/room.a")).isInstanceOf(AmqpConnectException.class);
		this.brokerAway.set(false);
		this.bindings.acquire("/topic/room.a");
		assertThat(this.asked).containsExactly("+/topic/room.a");
	}

	@Test
	void afterAReconnectOnlyFollowedDestinationsAreBoundAgain() {
		this.bindings.acquire("/topic/room.a");
		this.bindings.acquire("/topic/room.b");
		this.bindings.release("/topic/room.b");
		this.asked.clear();
		this.bindings.rebindAll();
		assertThat(this.asked).containsExactly("+/topic/room.a");
	}

	@Test
	void concurrentFollowersOfOneDestinationNeverOverlapABindAndAnUnbind() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> all = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				all.add(pool.submit(() -> {
					for (int i = 0; i < 2000; i++) {
						String destination = "/topic/room." + (i % 3);
						this.bindings.acquire(destination);
						this.bindings.release(destination);
					}
				}));
			}
			for (Future<?> each : all) {
				each.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		for (int room = 0; room < 3; room++) {
			String destination = "/topic/room." + room;
			List<String> ops = List.copyOf(this.asked).stream().filter(op -> op.substring(1).equals(destination)).toList();
			assertThat(ops).isNotEmpty();
			for (int i = 0; i < ops.size(); i++) {
				assertThat(ops.get(i)).as("operation %s on %s", i, destination).startsWith(i % 2 == 0 ? "+" : "-");
			}
			assertThat(ops.get(ops.size() - 1)).startsWith("-");
		}
		assertThat(this.bindings.size()).isZero();
	}

	private AmqpAdmin recordingAdmin() {
		return (AmqpAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AmqpAdmin.class},
				(proxy, method, args) -> {
					if (method.getName().equals("declareBinding") || method.getName().equals("removeBinding")) {
						if (this.brokerAway.get()) {
							throw new AmqpConnectException(new java.net.ConnectException("broker away"));
						}
						Binding binding = (Binding) args[0];
						assertThat(binding.getExchange()).isEqualTo("confab.relay");
						assertThat(binding.getDestination()).isEqualTo("confab.relay.q");
						this.asked.add((method.getName().equals("declareBinding") ? "+" : "-") + binding.getRoutingKey());
						return null;
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}
}
