package dev.confab.scale;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.confab.support.RawStompSocket;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hundred STOMP sessions on two relay instances, each following its personal queue and the
 * lobby, hold no more connections to RabbitMQ than the two instances did alone: a fixed few per
 * instance, not one per session.
 */
class BrokerConnectionsIT {

	private static final int SESSIONS = 200;

	/** Boot's connection (the relay's and the control queue) and its publisher connection. */
	private static final int PER_INSTANCE = 2;

	/** Eight sockets per user at most: 200 sessions need 25 users. */
	private static final int USERS = 32;

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static List<ConfabInstance> instances;

	@BeforeAll
	static void startTwoInstances() {
		instances = cluster.start("a", "b");
	}

	@Test
	void twoHundredSessionsCostNoBrokerConnectionEach() throws Exception {
		HttpLogin login = new HttpLogin(instances.get(0).baseUrl());
		List<String> cookies = new ArrayList<>();
		for (int u = 0; u < USERS; u++) {
			cookies.add(login.login("conn" + u));
		}
		// A page whose handling publishes: both instances' publisher connections exist from here on.
		login.createRoom(cookies.get(0), "Connections");
		new HttpLogin(instances.get(1).baseUrl()).createRoom(cookies.get(1), "Connections too");

		HttpClient http = HttpClient.newHttpClient();
		List<RawStompSocket> sessions = new ArrayList<>();
		try {
			for (int i = 0; i < SESSIONS; i++) {
				RawStompSocket socket = RawStompSocket.open(http, instances.get(i % 2).port(), cookies.get(i % USERS));
				sessions.add(socket);
				socket.connect();
				expectReceipt(socket.send("SUBSCRIBE\nid:0\ndestination:/user/queue/events\nreceipt:me\n\n\0"));
				expectReceipt(socket.send("SUBSCRIBE\nid:1\ndestination:/topic/lobby\nreceipt:lobby\n\n\0"));
			}
			long connections = cluster.rabbit().connectionCount();
			System.out.println("[confab-it] " + SESSIONS + " sessions on 2 instances: " + connections
					+ " connections to RabbitMQ");
			assertThat(connections).as("RabbitMQ connections of the virtual host with %s sessions open", SESSIONS)
					.isPositive().isLessThanOrEqualTo(PER_INSTANCE * instances.size());

			// And the sessions work: a new room reaches every lobby on both instances.
			login.createRoom(cookies.get(2), "Seen by all");
			for (RawStompSocket socket : sessions) {
				String frame = socket.next();
				while (!frame.contains("Seen by all")) {
					frame = socket.next();
				}
			}
		}
		finally {
			sessions.forEach(RawStompSocket::close);
		}
	}

	private static void expectReceipt(RawStompSocket socket) throws InterruptedException {
		String frame = socket.next();
		assertThat(frame).as("the SUBSCRIBE's answer").startsWith("RECEIPT");
	}
}
