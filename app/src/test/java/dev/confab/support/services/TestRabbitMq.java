package dev.confab.support.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.images.builder.Transferable;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * A fresh RabbitMQ virtual host with its own user (full permissions there, nowhere else) for one
 * test class, on the node named by {@code CONFAB_TEST_RABBITMQ_*} and administered with
 * {@code CONFAB_TEST_RABBITMQCTL}, or, without those, in a Testcontainers container (STOMP plugin
 * enabled) started once per JVM. {@link #close()} deletes both again.
 */
public final class TestRabbitMq implements AutoCloseable {

	static final String VARIABLES = "CONFAB_TEST_RABBITMQ_HOST, CONFAB_TEST_RABBITMQ_AMQP_PORT, "
			+ "CONFAB_TEST_RABBITMQ_STOMP_PORT and CONFAB_TEST_RABBITMQCTL (e.g. rabbitmqctl; the node needs the "
			+ "rabbitmq_stomp plugin)";

	private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(60);

	private static Node node;

	private final Node on;

	private final String virtualHost;

	private final String username;

	private final String password;

	private boolean deleted;

	/** Set while this test has the broker stopped, so that {@link #close()} never leaves it down. */
	private volatile boolean stopped;

	private TestRabbitMq(Node on, String name, String password) {
		this.on = on;
		this.virtualHost = name;
		this.username = name;
		this.password = password;
	}

	/** Skips or fails (see {@link Requirements}) when there is neither a configured node nor Docker. */
	public static void require() {
		node();
	}

	/** Creates a virtual host and a user that may do anything in it. */
	public static TestRabbitMq createVirtualHost() {
		Node on = node();
		String name = "confab_it_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		byte[] secret = new byte[18];
		ThreadLocalRandom.current().nextBytes(secret);
		TestRabbitMq rabbit = new TestRabbitMq(on, name, HexFormat.of().formatHex(secret));
		on.ctl().run("add_vhost", name);
		on.ctl().run("add_user", name, rabbit.password);
		on.ctl().run("set_permissions", "-p", name, name, ".*", ".*", ".*");
		return rabbit;
	}

	private static synchronized Node node() {
		if (node == null) {
			node = locate();
		}
		return node;
	}

	private static Node locate() {
		String host = Requirements.env("CONFAB_TEST_RABBITMQ_HOST");
		String ctl = Requirements.env("CONFAB_TEST_RABBITMQCTL");
		if (host != null || ctl != null) {
			if (host == null || ctl == null) {
				throw new IllegalStateException("Set all of " + VARIABLES + ", not only some");
			}
			Node configured = new Node(host, Integer.parseInt(Requirements.env("CONFAB_TEST_RABBITMQ_AMQP_PORT", "5672")),
					Integer.parseInt(Requirements.env("CONFAB_TEST_RABBITMQ_STOMP_PORT", "61613")),
					new Rabbitmqctl.Local(Arrays.asList(ctl.split(" +"))));
			configured.ctl().run("list_vhosts");
			if (!Ports.accepts(host, configured.stompPort())) {
				throw new IllegalStateException("Nothing listens on RabbitMQ's STOMP port " + host + ":"
						+ configured.stompPort() + ": enable the plugin (rabbitmq-plugins enable rabbitmq_stomp)"
						+ " or fix CONFAB_TEST_RABBITMQ_STOMP_PORT");
			}
			return configured;
		}
		if (!Requirements.dockerAvailable()) {
			throw Requirements.unavailable("No RabbitMQ for the scaled-out tests: set " + VARIABLES
					+ ", or make Docker available for Testcontainers.");
		}
		// The version Compose runs. 4.3 refuses transient queues that are not exclusive; Confab's relay makes
		// none (QueueLeakIT), but the stomp-relay baseline's STOMP subscriptions do: the image's conf.d permits them.
		RabbitMQContainer container = new RabbitMQContainer("rabbitmq:4.3-management");
		container.withCopyToContainer(Transferable.of("deprecated_features.permit.transient_nonexcl_queues = true\n"),
				"/etc/rabbitmq/conf.d/90-confab-stomp-relay-baseline.conf");
		container.addExposedPort(Node.STOMP_PORT);
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "confab-it-rabbitmq-stop"));
		Rabbitmqctl.InContainer ctlInContainer = new Rabbitmqctl.InContainer(container);
		ctlInContainer.plugins("enable", "rabbitmq_stomp");
		Node started = new Node(container.getHost(), container.getAmqpPort(), container.getMappedPort(Node.STOMP_PORT),
				ctlInContainer);
		Ports.await(started.host(), started.stompPort(), BROKER_START_TIMEOUT, "RabbitMQ's STOMP port in the container");
		return started;
	}

	public String host() {
		return this.on.host();
	}

	public int amqpPort() {
		return this.on.amqpPort();
	}

	public int stompPort() {
		return this.on.stompPort();
	}

	public String virtualHost() {
		return this.virtualHost;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	/** The names of every queue in this virtual host, sorted. */
	public List<String> queueNames() {
		String out = this.on.ctl().run("-s", "list_queues", "-p", this.virtualHost, "name");
		return out.lines().map(String::strip).filter(line -> !line.isEmpty()).sorted().toList();
	}

	/** Queues of the virtual host: name, then whether durable, auto-delete and exclusive, tab-separated. */
	public List<String> queueProperties() {
		String out = this.on.ctl().run("-s", "list_queues", "-p", this.virtualHost, "name", "durable", "auto_delete", "exclusive");
		return out.lines().map(String::strip).filter(line -> !line.isEmpty()).sorted().toList();
	}

	/** Bindings of the virtual host: source, destination and routing key, tab-separated, sorted. */
	public List<String> bindings() {
		String out = this.on.ctl().run("-s", "list_bindings", "-p", this.virtualHost, "source_name", "destination_name",
				"routing_key");
		return out.lines().map(String::strip).filter(line -> !line.isEmpty()).sorted().toList();
	}

	/**
	 * Client connections to the virtual host, AMQP and STOMP: RabbitMQ 3.10 lists STOMP connections
	 * apart, in {@code list_stomp_connections}, where they are counted by login (this vhost's user).
	 */
	public long connectionCount() {
		long amqp = this.on.ctl().run("-s", "list_connections", "vhost").lines().map(String::strip)
				.filter(this.virtualHost::equals).count();
		long stomp = this.on.ctl().run("-s", "list_stomp_connections", "auth_login").lines().map(String::strip)
				.filter(this.username::equals).count();
		return amqp + stomp;
	}

	/** Stops the RabbitMQ application (the Erlang node stays up): clients see the broker go away. */
	public void stopBroker() {
		this.stopped = true;
		this.on.ctl().run("stop_app");
	}

	/**
	 * Starts the RabbitMQ application again and waits until its STOMP port accepts this virtual
	 * host's user.
	 */
	public void startBroker() {
		this.on.ctl().run("start_app");
		long deadline = System.nanoTime() + BROKER_START_TIMEOUT.toNanos();
		String last = "never tried";
		while (System.nanoTime() < deadline) {
			try {
				last = stompConnect();
				if (last.startsWith("CONNECTED")) {
					this.stopped = false;
					return;
				}
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			sleep(250);
		}
		throw new AssertionError("RabbitMQ's STOMP port did not accept " + this.username + " within "
				+ BROKER_START_TIMEOUT.toSeconds() + " s after start_app; last answer: " + last);
	}

	/** Logs in over STOMP as this virtual host's user and returns the broker's first frame. */
	private String stompConnect() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.on.host(), this.on.stompPort()), 2000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("CONNECT\naccept-version:1.2\nhost:" + this.virtualHost + "\nlogin:" + this.username
					+ "\npasscode:" + this.password + "\nheart-beat:0,0\n\n\0").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder frame = new StringBuilder();
			int b;
			while ((b = in.read()) > 0) {
				frame.append((char) b);
			}
			if (frame.toString().startsWith("CONNECTED")) {
				out.write("DISCONNECT\n\n\0".getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			return frame.toString();
		}
	}

	/** Deletes the user and the virtual host (and with it every queue and exchange in it). */
	@Override
	public synchronized void close() {
		if (this.deleted) {
			return;
		}
		this.deleted = true;
		if (this.stopped) {
			startBroker();
		}
		try {
			this.on.ctl().run("delete_user", this.username);
			this.on.ctl().run("delete_vhost", this.virtualHost);
		}
		catch (RuntimeException ex) {
			System.err.println("[confab-it] could not delete RabbitMQ vhost/user " + this.virtualHost + ": " + ex.getMessage());
		}
	}

	@Override
	public String toString() {
		return "TestRabbitMq[vhost " + this.virtualHost + " on " + this.on.host() + ", stomp " + this.on.stompPort() + "]";
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Where the node listens and how to administer it. */
	private record Node(String host, int amqpPort, int stompPort, Rabbitmqctl ctl) {

		static final int STOMP_PORT = 61613;
	}
}
