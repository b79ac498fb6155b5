package dev.confab.support.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: the scaled-out topology for one test class. Register it as
 * {@code @RegisterExtension static final ConfabCluster cluster = new ConfabCluster();}. Before the
 * class it requires PostgreSQL and RabbitMQ (skipping, or failing under {@code CI=true}, without
 * them), creates a database and a RabbitMQ virtual host and user; the test starts instances with
 * {@link #start}, all in relay mode on that database and virtual host with one shared signing
 * key. After the class every instance is stopped and the database and virtual host are removed.
 * Instance logs: {@code <build dir>/it-logs/<test class>-<instance>.log}.
 */
public final class ConfabCluster implements BeforeAllCallback, AfterAllCallback {

	private final Map<String, ConfabInstance> instances = new LinkedHashMap<>();

	private final List<Path> dataDirs = new ArrayList<>();

	private final String signingKey = randomKey();

	private String testName = "it";

	private int niceness;

	private TestPostgres database;

	private TestRabbitMq rabbit;

	/**
	 * Runs this cluster's instances under {@code nice -n niceness}: for browser tests, so that an
	 * instance starting up does not starve the browsers' media on a two-core machine (see
	 * {@link ConfabInstance#start(String, int, Map, Path, int)}).
	 */
	public ConfabCluster niceness(int niceness) {
		this.niceness = niceness;
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		TestPostgres.require();
		TestRabbitMq.require();
		this.testName = context.getRequiredTestClass().getSimpleName();
		this.database = TestPostgres.createDatabase();
		this.rabbit = TestRabbitMq.createVirtualHost();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopAll();
		if (this.rabbit != null) {
			this.rabbit.close();
		}
		if (this.database != null) {
			this.database.close();
		}
		this.dataDirs.forEach(ConfabCluster::deleteRecursively);
	}

	/** Starts instances with the given names in parallel (each JVM takes seconds to start). */
	public List<ConfabInstance> start(String... names) {
		return start(Map.of(), names);
	}

	/** {@link #start(String...)} with {@code extraEnv} for every one of them. */
	public List<ConfabInstance> start(Map<String, String> extraEnv, String... names) {
		List<CompletableFuture<ConfabInstance>> starting = new ArrayList<>();
		for (String name : names) {
			starting.add(CompletableFuture.supplyAsync(() -> start(name, extraEnv)));
		}
		try {
			return starting.stream().map(CompletableFuture::join).toList();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/** Starts one instance; {@code extraEnv} adds to or overrides {@link #environment}. */
	public ConfabInstance start(String name, Map<String, String> extraEnv) {
		for (int attempt = 1;; attempt++) {
			try {
				return startOnFreePorts(name, extraEnv);
			}
			catch (AssertionError ex) {
				// Ports.free() leaves a race: a connection's ephemeral port may take the port before the instance binds it.
				if (attempt == PORT_ATTEMPTS || ex.getMessage() == null || !ex.getMessage().contains("was already in use")) {
					throw ex;
				}
				System.out.println("[confab-it] instance " + name + " found its port taken; starting it on other ports");
			}
		}
	}

	/** Starts that a port taken between its choice and the bind may cost, before the start fails. */
	private static final int PORT_ATTEMPTS = 3;

	private ConfabInstance startOnFreePorts(String name, Map<String, String> extraEnv) {
		int port = Ports.free();
		Map<String, String> env = environment(name, port);
		env.putAll(extraEnv);
		ConfabInstance instance = ConfabInstance.start(name, port, env, logDir().resolve(this.testName + "-" + name + ".log"),
				this.niceness);
		synchronized (this.instances) {
			ConfabInstance earlier = this.instances.put(name, instance);
			if (earlier != null) {
				earlier.stop();
			}
		}
		return instance;
	}

	/** The environment the contract gives an instance of the scaled-out mode. */
	public Map<String, String> environment(String name, int port) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("CONFAB_DATA_DIR", dataDir(name).toString());
		env.put("CONFAB_IDENTITY_SIGNING_KEY", this.signingKey);
		env.put("CONFAB_BROKER_MODE", "relay");
		// Every test user logs in from 127.0.0.1; the limit itself is tested in LoginRateLimitTests.
		env.put("CONFAB_IDENTITY_LOGINS_PER_MINUTE", "1000");
		env.put("SPRING_RABBITMQ_HOST", this.rabbit.host());
		env.put("SPRING_RABBITMQ_PORT", Integer.toString(this.rabbit.amqpPort()));
		env.put("CONFAB_BROKER_STOMP_PORT", Integer.toString(this.rabbit.stompPort()));
		env.put("SPRING_RABBITMQ_USERNAME", this.rabbit.username());
		env.put("SPRING_RABBITMQ_PASSWORD", this.rabbit.password());
		env.put("SPRING_RABBITMQ_VIRTUAL_HOST", this.rabbit.virtualHost());
		env.put("SPRING_R2DBC_URL", this.database.r2dbcUrl());
		env.put("SPRING_R2DBC_USERNAME", this.database.username());
		env.put("SPRING_R2DBC_PASSWORD", this.database.password());
		env.put("SPRING_FLYWAY_URL", this.database.jdbcUrl());
		env.put("SPRING_FLYWAY_USER", this.database.username());
		env.put("SPRING_FLYWAY_PASSWORD", this.database.password());
		return env;
	}

	public ConfabInstance instance(String name) {
		synchronized (this.instances) {
			ConfabInstance instance = this.instances.get(name);
			if (instance == null) {
				throw new IllegalArgumentException("No instance " + name + " started; have " + this.instances.keySet());
			}
			return instance;
		}
	}

	/**
	 * Graceful stop of instance {@code name} (SIGTERM, waiting for the process to end by itself;
	 * killed only past 20 s). The instance stays known, so {@link #startAgain} can bring it back.
	 */
	public ConfabInstance.Stopped stop(String name) {
		return instance(name).terminate();
	}

	/** {@code kill -9} of instance {@code name}; {@link #startAgain} brings it back. */
	public void kill9(String name) {
		instance(name).kill9();
	}

	/**
	 * Starts instance {@code name} again after it ended: the same port (so nginx's upstream list
	 * still holds), environment, data folder and log file. Returns once it is ready.
	 */
	public ConfabInstance startAgain(String name) {
		ConfabInstance again = instance(name).startAgain();
		synchronized (this.instances) {
			this.instances.put(name, again);
		}
		return again;
	}

	/** A rolling-restart step: {@link #stop} (SIGTERM), then {@link #startAgain} on the same port. */
	public ConfabInstance restart(String name) {
		stop(name);
		return startAgain(name);
	}

	public TestPostgres database() {
		return this.database;
	}

	public TestRabbitMq rabbit() {
		return this.rabbit;
	}

	/** Where instance logs go: {@code <build dir>/it-logs}. */
	public Path logDir() {
		return ConfabInstance.logDir();
	}

	public String testName() {
		return this.testName;
	}

	/** Stops every instance gracefully, in parallel. */
	public void stopAll() {
		List<ConfabInstance> running;
		synchronized (this.instances) {
			running = new ArrayList<>(this.instances.values());
		}
		CompletableFuture.allOf(running.stream().map(i -> CompletableFuture.runAsync(i::stop))
				.toArray(CompletableFuture[]::new)).join();
	}

	private Path dataDir(String name) {
		try {
			Path dir = Files.createTempDirectory("confab-it-" + name + "-");
			synchronized (this.dataDirs) {
				this.dataDirs.add(dir);
			}
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static void deleteRecursively(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort: a temp folder
		}
	}
}
