package dev.confab.bench.lab;

import java.io.File;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Confab instance as its own process ({@code java -jar confab.jar}), configured by environment
 * variables only, as ops run it; its output goes to a log file.
 */
public final class Instance {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Every process the bench started, killed if the bench JVM exits without stopping them. */
	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-kill-instances"));
	}

	private final String name;

	private final Launch launch;

	private final Process process;

	/** What starts an instance again the same way: jar, JVM options, environment (port included), log. */
	record Launch(Path jar, List<String> jvmOptions, Map<String, String> env, Path log) {
	}

	private Instance(String name, Launch launch, Process process) {
		this.name = name;
		this.launch = launch;
		this.process = process;
	}

	/** Starts the process; {@link #awaitReady} waits for it. Inherits no SPRING_*, CONFAB_* or MANAGEMENT_* variable. */
	static Instance launch(String name, Launch launch, boolean appendLog) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(launch.jvmOptions());
		command.addAll(List.of("-jar", launch.jar().toString()));
		try {
			Files.createDirectories(launch.log().getParent());
			String header = "# " + Instant.now() + " $ " + String.join(" ", command) + "\n";
			Files.writeString(launch.log(), header, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					appendLog ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("CONFAB_")
					|| key.startsWith("MANAGEMENT_"));
			builder.environment().putAll(launch.env());
			Process process = builder.start();
			LIVE.add(process);
			process.onExit().thenRun(() -> LIVE.remove(process));
			return new Instance(name, launch, process);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start instance " + name + ": " + ex.getMessage(), ex);
		}
	}

	/** Waits until {@code /actuator/health/readiness} answers 200 on the management port; fails if the process exits first. */
	Instance awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Instance " + this.name + " exited (" + this.process.exitValue()
						+ ") before it was ready; see " + this.launch.log());
			}
			if (readiness() == 200) {
				return this;
			}
			sleep(200);
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("Instance " + this.name + " not ready within " + timeout.toSeconds() + " s; see "
				+ this.launch.log());
	}

	/** The same instance once more after it ended: same port, environment, data and log (appended). */
	public Instance startAgain(Duration timeout) {
		if (this.process.isAlive()) {
			throw new IllegalStateException("Instance " + this.name + " still runs");
		}
		return launch(this.name, this.launch, true).awaitReady(timeout);
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return Integer.parseInt(this.launch.env().get("SERVER_PORT"));
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	public Path log() {
		return this.launch.log();
	}

	/** Resident memory now, from /proc. */
	public long residentKb() {
		return ProcessMemory.residentKb(pid());
	}

	/**
	 * The JVM's heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}),
	 * in KiB; -1 when jcmd cannot tell. What the sessions really hold: resident memory barely moves
	 * while the heap the JVM committed at start still has room.
	 */
	public long liveHeapKb() {
		jcmd("GC.run");
		java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
		return used.find() ? Long.parseLong(used.group(1)) : -1;
	}

	private String jcmd(String command) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(pid()), command).redirectErrorStream(true).start();
			String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			jcmd.waitFor(30, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/** SIGTERM (Spring's graceful shutdown, the drain), then waits for the exit; killed after 40 s. */
	public Duration terminate() {
		long sent = System.nanoTime();
		if (this.process.isAlive()) {
			this.process.destroy();
			await(STOP_TIMEOUT);
		}
		return Duration.ofNanos(System.nanoTime() - sent);
	}

	/** SIGKILL: a crash, nothing told to anyone. */
	public void kill() {
		this.process.destroyForcibly();
		await(Duration.ofSeconds(10));
	}

	private void await(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				System.err.println("[bench] instance " + this.name + " still runs " + timeout.toSeconds() + " s after the signal; killing it");
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	private int readiness() {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:"
					+ this.launch.env().get("MANAGEMENT_SERVER_PORT") + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(3)).build();
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

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return this.name + " (port " + port() + ", pid " + pid() + ")";
	}
}
