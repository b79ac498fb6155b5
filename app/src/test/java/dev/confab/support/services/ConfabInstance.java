package dev.confab.support.services;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Confab instance as its own OS process ({@code java -jar confab.jar}), configured only through
 * environment variables, as ops would run it. Output goes to a log file; {@link #start} returns once
 * {@code /actuator/health/readiness} answers 200 on its management port, a free one of its own
 * ({@value #MANAGEMENT_PORT}, unless the environment names one).
 */
public final class ConfabInstance implements AutoCloseable {

	static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	/** A niced instance starts more slowly while the browsers keep the cores busy. */
	static final Duration NICED_READY_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	/** Health and metrics; the default (8081) would collide between instances on one machine. */
	static final String MANAGEMENT_PORT = "MANAGEMENT_SERVER_PORT";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Small heaps and a quick start: several instances share a two-core machine with browsers. */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	private final String name;

	private final int port;

	private final Path log;

	private final Map<String, String> env;

	private final int niceness;

	private final Process process;

	private final long startedAtNanos;

	private volatile long readyAtNanos;

	private ConfabInstance(String name, int port, Map<String, String> env, int niceness, Path log, Process process,
			long startedAtNanos) {
		this.name = name;
		this.port = port;
		this.env = Map.copyOf(env);
		this.niceness = niceness;
		this.log = log;
		this.process = process;
		this.startedAtNanos = startedAtNanos;
	}

	/** How a graceful stop went: how long SIGTERM took to end the process, and whether it had to be killed. */
	public record Stopped(Duration took, int exitCode, boolean forced) {
	}

	/**
	 * Starts the packaged jar with exactly {@code env} on top of this JVM's environment minus every
	 * {@code SPRING_*}, {@code CONFAB_*} and {@code MANAGEMENT_*} variable (so nothing leaks in from
	 * the shell), and waits until it is ready.
	 */
	static ConfabInstance start(String name, int port, Map<String, String> env, Path log) {
		return start(name, port, env, log, 0);
	}

	/**
	 * {@link #start(String, int, Map, Path)} under {@code nice -n niceness} (0: as is). Browser tests
	 * share two cores with the instances; a lower priority for the server keeps a JVM starting up from
	 * starving the browsers' media, as if the server ran on a machine of its own.
	 */
	static ConfabInstance start(String name, int port, Map<String, String> env, Path log, int niceness) {
		return launch(name, port, env, niceness, log, false);
	}

	/**
	 * One instance on its own, in the embedded default mode (in-memory broker, H2 database and key
	 * file in {@code dataDir}), as a new user runs it: only the port, the data folder and a raised
	 * login limit (every test user logs in from 127.0.0.1). Needs only the packaged jar. For
	 * {@code niceness} see {@link #start(String, int, Map, Path, int)}.
	 */
	public static ConfabInstance startEmbedded(String name, int port, Path dataDir, Path log, int niceness) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("CONFAB_DATA_DIR", dataDir.toString());
		env.put("CONFAB_IDENTITY_LOGINS_PER_MINUTE", "1000");
		return launch(name, port, env, niceness, log, false);
	}

	/**
	 * Starts this instance again after it ended (stopped or killed): same name, port, environment
	 * (so the same data folder) and log file, appended to. Returns the new process once it is ready.
	 */
	public ConfabInstance startAgain() {
		if (this.process.isAlive()) {
			throw new IllegalStateException("Instance " + this.name + " (pid " + pid() + ") is still running");
		}
		return launch(this.name, this.port, this.env, this.niceness, this.log, true);
	}

	/** Where the instances' logs go: {@code <build dir>/it-logs}. */
	public static Path logDir() {
		return jar().getParent().resolve("it-logs");
	}

	private static ConfabInstance launch(String name, int port, Map<String, String> given, int niceness, Path log,
			boolean again) {
		// Chosen once: a start again keeps the environment, so the same management port.
		Map<String, String> env = new LinkedHashMap<>(given);
		env.putIfAbsent(MANAGEMENT_PORT, Integer.toString(Ports.free()));
		List<String> command = new ArrayList<>();
		if (niceness != 0) {
			// nice execs java: the process (its pid, its signals) is still the JVM.
			command.addAll(List.of("nice", "-n", Integer.toString(niceness)));
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-jar");
		command.add(jar().toString());
		try {
			Files.createDirectories(log.getParent());
			String header = (again ? "\n# ---- started again at " + Instant.now() + "\n" : "") + "$ "
					+ String.join(" ", command) + "\n# port " + port + ", management port " + env.get(MANAGEMENT_PORT) + "\n";
			if (again) {
				Files.writeString(log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
			}
			else {
				Files.writeString(log, header, StandardCharsets.UTF_8);
			}
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("CONFAB_")
					|| key.startsWith("MANAGEMENT_"));
			builder.environment().putAll(env);
			long startedAt = System.nanoTime();
			ConfabInstance instance = new ConfabInstance(name, port, env, niceness, log,
					ChildProcesses.track(builder.start()), startedAt);
			instance.awaitReady();
			return instance;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start instance " + name, ex);
		}
	}

	/** The jar the build packaged ({@code -Dconfab.jar}, set by maven-failsafe in app/pom.xml). */
	static Path jar() {
		String jar = System.getProperty("confab.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("System property confab.jar (" + jar + ") names no file: run the *IT tests"
					+ " with `./mvnw verify` (maven-failsafe, after package)");
		}
		return Path.of(jar);
	}

	private void awaitReady() {
		Duration timeout = this.niceness > 0 ? NICED_READY_TIMEOUT : READY_TIMEOUT;
		long deadline = System.nanoTime() + timeout.toNanos();
		int status = -1;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("Instance " + this.name + " exited (code " + this.process.exitValue()
						+ ") before it was ready; " + this.log + " ends with:\n" + logTail(60));
			}
			status = readiness();
			if (status == 200) {
				this.readyAtNanos = System.nanoTime();
				return;
			}
			sleep(200);
		}
		Path dump = threadDump();
		this.process.destroyForcibly();
		throw new AssertionError("Instance " + this.name + " not ready within " + timeout.toSeconds()
				+ " s (readiness " + status + "); threads at the deadline in " + dump + "; " + this.log
				+ " ends with:\n" + logTail(60));
	}

	/** Where a start that hangs is stuck: the JVM's threads (jcmd), next to its log. */
	private Path threadDump() {
		Path dump = this.log.resolveSibling(this.log.getFileName() + ".threads.txt");
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(this.process.pid()), "Thread.print")
				.redirectErrorStream(true).redirectOutput(dump.toFile()).start();
			if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
				jcmd.destroyForcibly();
			}
		}
		catch (IOException ex) {
			return Path.of("(no thread dump: " + ex.getMessage() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return dump;
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	/** {@code http://localhost:<port>}: the origin the STOMP test clients use too. */
	public String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/** {@code http://localhost:<management port>}: health and metrics, which the public port does not serve. */
	public String managementUrl() {
		return "http://localhost:" + this.env.get(MANAGEMENT_PORT);
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The environment it was started with (on top of the cleaned-up inherited one). */
	public Map<String, String> environment() {
		return this.env;
	}

	/** From launching the JVM to readiness 200. */
	public Duration startupTime() {
		return Duration.ofNanos(this.readyAtNanos - this.startedAtNanos);
	}

	public Path log() {
		return this.log;
	}

	/** The status of {@code GET /actuator/health/readiness} on the management port, or -1 when nothing answers. */
	public int readiness() {
		return status("/actuator/health/readiness");
	}

	public int liveness() {
		return status("/actuator/health/liveness");
	}

	private int status(String path) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + path)).timeout(Duration.ofSeconds(3)).build();
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux. Checks that the
	 * process is gone and that a signal 9 ended it (exit status 128 + 9).
	 */
	public void kill9() {
		ProcessHandle handle = this.process.toHandle();
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				throw new AssertionError("Instance " + this.name + " (pid " + pid() + ") still alive 10 s after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (handle.isAlive() || ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false)) {
			throw new AssertionError("Instance " + this.name + " (pid " + pid() + ") survived SIGKILL");
		}
		if (this.process.exitValue() != 128 + 9) {
			throw new AssertionError("Instance " + this.name + " ended with " + this.process.exitValue()
					+ ", not by SIGKILL (137)");
		}
	}

	/** Graceful stop (SIGTERM: Spring's graceful shutdown), forced after a while. */
	public void stop() {
		terminate();
	}

	/**
	 * SIGTERM ({@link Process#destroy()} on Linux), then waits for the process to end by itself; kills
	 * it when it has not within 20 s. Says how long it took and whether it had to be killed. An
	 * instance that had already ended reports zero time.
	 */
	public Stopped terminate() {
		if (!this.process.isAlive()) {
			return new Stopped(Duration.ZERO, this.process.exitValue(), false);
		}
		long sent = System.nanoTime();
		this.process.destroy();
		boolean forced = false;
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				System.err.println("[confab-it] instance " + this.name + " ignored SIGTERM for " + STOP_TIMEOUT.toSeconds()
						+ " s; killing it");
				forced = true;
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			forced = true;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - sent);
		return new Stopped(took, this.process.isAlive() ? -1 : this.process.exitValue(), forced);
	}

	@Override
	public void close() {
		stop();
	}

	/** The last lines of the instance's log. */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(cannot read " + this.log + ": " + ex + ")";
		}
	}

	/** The whole log so far. */
	public String logText() {
		try {
			return new String(Files.readAllBytes(this.log), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return "ConfabInstance[" + this.name + ", port " + this.port + ", pid " + pid() + "]";
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
}
