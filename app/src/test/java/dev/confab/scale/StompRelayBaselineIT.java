package dev.confab.scale;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.confab.support.StompTestClient;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static dev.confab.scale.CallAssertions.joinAfter;
import static dev.confab.scale.CallAssertions.joinAlone;
import static dev.confab.scale.CallAssertions.nothingElse;
import static dev.confab.scale.CallAssertions.seesLeave;
import static dev.confab.scale.CallAssertions.seesNewcomer;
import static dev.confab.scale.CallAssertions.seesSignal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's baseline, {@code confab.broker.mode=stomp-relay}, still carries a call across two
 * instances, and still costs what the relay removes: a broker connection per session.
 */
class StompRelayBaselineIT {

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static ConfabInstance a;

	static ConfabInstance b;

	@BeforeAll
	static void startTwoInstances() {
		List<ConfabInstance> started = cluster.start(Map.of("CONFAB_BROKER_MODE", "stomp-relay"), "a", "b");
		a = started.get(0);
		b = started.get(1);
	}

	@Test
	void aCallAcrossTwoInstancesOverSpringsStompRelay() throws Exception {
		HttpLogin login = new HttpLogin(a.baseUrl());
		String aliceCookie = login.login("alice");
		String bobCookie = login.login("bob");
		String room = login.createRoom(aliceCookie, "Baseline");
		try (StompTestClient alice = StompTestClient.connect(a.port(), aliceCookie);
				StompTestClient bob = StompTestClient.connect(b.port(), bobCookie)) {
			String aliceId = joinAlone(alice, room, "alice");
			String bobId = joinAfter(bob, room, "bob", List.of(aliceId), List.of("alice"));
			seesNewcomer(alice, bobId, "bob");
			long connections = cluster.rabbit().connectionCount();
			// Two sessions of their own, two system connections, and each instance's AMQP connection.
			assertThat(connections).as("RabbitMQ connections with two sessions open").isGreaterThanOrEqualTo(2 + 2 + 2);

			alice.send("/app/signal", "{\"to\":\"" + bobId + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
			seesSignal(bob, aliceId);
			bob.send("/app/room/" + room + "/leave", "{}");
			seesLeave(alice, bobId);
			nothingElse(alice, bob);
		}
	}
}
