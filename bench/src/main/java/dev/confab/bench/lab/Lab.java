package dev.confab.bench.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Everything a benchmark runs against, started on first use and stopped on close: Confab embedded
 * (one instance, H2, in-memory broker), Confab relay (two instances on a fresh PostgreSQL database
 * and RabbitMQ virtual host) and RabbitMQ's Web-STOMP endpoint with a virtual host of its own.
 */
public final class Lab implements AutoCloseable {

	/**
	 * Limits raised for every instance: the bench measures the transport, not the abuse limits. One
	 * sender signals five peers many times a second (50 frames/s per session by default), the
	 * driver logs in many users from one address, and joiners join again and again.
	 */
	private static final Map<String, String> BENCH_LIMITS = Map.of(
			"CONFAB_STOMP_FRAMES_PER_SECOND", "100000",
			"CONFAB_STOMP_FRAME_BURST", "100000",
			"CONFAB_STOMP_MAX_SOCKETS_PER_USER", "64",
			"CONFAB_IDENTITY_LOGINS_PER_MINUTE", "100000",
			"CONFAB_CALL_JOINS_PER_MINUTE", "100000");

	/** How instances are started and where their logs go. */
	public record Settings(Path jar, List<String> jvmOptions, Path logDir, Duration startTimeout) {
	}

	private final Settings settings;

	private final Optional<Services> services;

	private final String signingKey = randomKey();

	private final Map<Side, CompletableFuture<Deployment>> shared = new ConcurrentHashMap<>();

	private final List<AutoCloseable> opened = new ArrayList<>();

	private volatile WebStompTarget webStomp;

	public Lab(Settings settings, Optional<Services> services) {
		if (!Files.isRegularFile(settings.jar())) {
			throw new IllegalArgumentException("No Confab jar at " + settings.jar() + ": build it (./mvnw -B -DskipTests package) or pass --jar");
		}
		this.settings = settings;
		this.services = services;
	}

	/** Starts the deployments of these sides at once (each JVM takes seconds); failures surface on use. */
	public void prepare(Collection<Side> sides) {
		sides.stream().filter(side -> side != Side.WEBSTOMP).forEach(this::starting);
	}

	/** The shared deployment of a Confab side, started on first use. */
	public Deployment deployment(Side side) {
		if (side == Side.WEBSTOMP) {
			throw new IllegalArgumentException("Web-STOMP is no Confab deployment");
		}
		try {
			return starting(side).join();
		}
		catch (CompletionException ex) {
			throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
		}
	}

	/**
	 * A deployment of the side's own, not shared, for a benchmark that measures one side with
	 * nothing else of Confab's running: stopped by the caller (or with the lab).
	 */
	public Deployment startAlone(Side side) {
		if (side == Side.WEBSTOMP) {
			throw new IllegalArgumentException("Web-STOMP is no Confab deployment");
		}
		return side == Side.EMBEDDED ? startEmbedded() : startRelay(side, side.key());
	}

	/** Two relay instances of their own (fresh database and vhost), stopped with the lab or by the caller. */
	public Deployment startRelay(Side side, String name) {
		Services available = requireServices();
		BenchDatabase database = BenchDatabase.create(available);
		BrokerVhost vhost = BrokerVhost.create(rabbitmqctl());
		List<AutoCloseable> resources = new ArrayList<>(List.of(database, vhost));
		List<CompletableFuture<Instance>> starting = new ArrayList<>();
		for (String instance : List.of("a", "b")) {
			Map<String, String> env = baseEnvironment(resources);
			env.putAll(relayEnvironment(side, available, database, vhost));
			starting.add(CompletableFuture.supplyAsync(() -> start(name + "-" + instance, env)));
		}
		return remember(new Deployment(side, join(starting, resources), vhost, resources, this.settings.startTimeout()));
	}

	/** RabbitMQ's Web-STOMP endpoint and a vhost of its own, checked to listen. */
	public synchronized WebStompTarget webStomp() {
		if (this.webStomp == null) {
			Services available = requireServices();
			if (!Ports.accepts(available.rabbitHost(), available.webStompPort())) {
				throw new Unavailable("nothing listens for Web-STOMP on " + available.rabbitHost() + ":"
						+ available.webStompPort() + ": enable the rabbitmq_web_stomp plugin (infra/local/confab-stack services does)");
			}
			this.webStomp = new WebStompTarget(available.rabbitHost(), available.webStompPort(),
					remember(BrokerVhost.create(rabbitmqctl())));
		}
		return this.webStomp;
	}

	public Rabbitmqctl rabbitmqctl() {
		return new Rabbitmqctl(requireServices().rabbitmqctl());
	}

	public boolean hasServices() {
		return this.services.isPresent();
	}

	@Override
	public void close() {
		List<AutoCloseable> all;
		synchronized (this.opened) {
			all = new ArrayList<>(this.opened);
		}
		CompletableFuture.allOf(all.stream().filter(Deployment.class::isInstance)
				.map(deployment -> CompletableFuture.runAsync(() -> closeQuietly(deployment))).toArray(CompletableFuture[]::new))
				.join();
		all.stream().filter(resource -> !(resource instanceof Deployment)).forEach(Lab::closeQuietly);
	}

	private CompletableFuture<Deployment> starting(Side side) {
		return this.shared.computeIfAbsent(side, s -> CompletableFuture.supplyAsync(
				() -> s == Side.EMBEDDED ? startEmbedded() : startRelay(s, s.key())));
	}

	private Deployment startEmbedded() {
		List<AutoCloseable> resources = new ArrayList<>();
		Instance instance = start("embedded", baseEnvironment(resources));
		return remember(new Deployment(Side.EMBEDDED, List.of(instance), null, resources, this.settings.startTimeout()));
	}

	private Instance start(String name, Map<String, String> env) {
		Instance.Launch launch = new Instance.Launch(this.settings.jar(), this.settings.jvmOptions(), env,
				this.settings.logDir().resolve(name + ".log"));
		return Instance.launch(name, launch, false).awaitReady(this.settings.startTimeout());
	}

	/**
	 * Ports (the public one, and the management one for health: instances on one machine need
	 * their own), data folder (a temp dir, deleted with the deployment), the shared cookie key and
	 * the bench limits.
	 */
	private Map<String, String> baseEnvironment(List<AutoCloseable> resources) {
		Map<String, String> env = new LinkedHashMap<>(BENCH_LIMITS);
		env.put("SERVER_PORT", Integer.toString(Ports.free()));
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(Ports.free()));
		env.put("CONFAB_DATA_DIR", tempDir(resources).toString());
		env.put("CONFAB_IDENTITY_SIGNING_KEY", this.signingKey);
		return env;
	}

	private static Map<String, String> relayEnvironment(Side side, Services services, BenchDatabase database, BrokerVhost vhost) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("CONFAB_BROKER_MODE", side.key());
		env.put("SPRING_RABBITMQ_HOST", services.rabbitHost());
		env.put("SPRING_RABBITMQ_PORT", Integer.toString(services.amqpPort()));
		env.put("CONFAB_BROKER_STOMP_PORT", Integer.toString(services.stompPort()));
		env.put("SPRING_RABBITMQ_USERNAME", vhost.user());
		env.put("SPRING_RABBITMQ_PASSWORD", vhost.password());
		env.put("SPRING_RABBITMQ_VIRTUAL_HOST", vhost.name());
		env.put("SPRING_R2DBC_URL", database.r2dbcUrl());
		env.put("SPRING_R2DBC_USERNAME", database.user());
		env.put("SPRING_R2DBC_PASSWORD", database.password());
		env.put("SPRING_FLYWAY_URL", database.jdbcUrl());
		env.put("SPRING_FLYWAY_USER", database.user());
		env.put("SPRING_FLYWAY_PASSWORD", database.password());
		return env;
	}

	private Services requireServices() {
		return this.services.orElseThrow(() -> new Unavailable(Services.missing()));
	}

	/** Waits for instances started in parallel; if one fails, the others are stopped and the resources dropped. */
	private static List<Instance> join(List<CompletableFuture<Instance>> starting, List<AutoCloseable> resources) {
		try {
			return starting.stream().map(CompletableFuture::join).toList();
		}
		catch (CompletionException ex) {
			starting.forEach(future -> future.thenAccept(Instance::kill));
			resources.forEach(Lab::closeQuietly);
			throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
		}
	}

	private <T extends AutoCloseable> T remember(T resource) {
		synchronized (this.opened) {
			this.opened.add(resource);
		}
		return resource;
	}

	private static Path tempDir(List<AutoCloseable> resources) {
		try {
			Path dir = Files.createTempDirectory("confab-bench-");
			resources.add(() -> deleteTree(dir));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// a temp folder: best effort
		}
	}

	private static void closeQuietly(AutoCloseable resource) {
		try {
			resource.close();
		}
		catch (Exception ex) {
			System.err.println("[bench] cleanup failed: " + ex);
		}
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/** Free ports and whether something listens. */
	static final class Ports {

		private Ports() {
		}

		static int free() {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		static boolean accepts(String host, int port) {
			try (java.net.Socket socket = new java.net.Socket()) {
				socket.connect(new java.net.InetSocketAddress(host, port), 1000);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
	}
}
