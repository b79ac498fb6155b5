package dev.confab.turn;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.confab.ice.TurnCredentials;

/**
 * One real coturn ({@code turnserver} from Debian's package) started by a test as a child
 * process, with its output in {@code <workDir>/<label>.log}, and {@code turnutils_uclient} runs
 * against it. Closing it kills the process.
 */
final class Coturn implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private static final Pattern RECEIVED = Pattern.compile("tot_recv_msgs=(\\d+)");

	private final TurnTools.Tools tools;

	private final String label;

	private final Process process;

	private final Path log;

	private final Path workDir;

	private final int port;

	private final AtomicInteger runs = new AtomicInteger();

	private Coturn(TurnTools.Tools tools, String label, Process process, Path log, Path workDir, int port) {
		this.tools = tools;
		this.label = label;
		this.process = process;
		this.log = log;
		this.workDir = workDir;
		this.port = port;
	}

	/**
	 * Starts {@code turnserver <arguments>} and waits until it answers on 127.0.0.1:{@code port}
	 * (TCP accepts, and a STUN binding over UDP is answered).
	 */
	static Coturn start(TurnTools.Tools tools, String label, List<String> arguments, Path workDir, int port) {
		List<String> command = new ArrayList<>();
		command.add(tools.turnserver().toString());
		command.addAll(arguments);
		Path log = workDir.resolve(label + ".log");
		Process process;
		try {
			Files.writeString(log, "$ " + String.join(" ", command).replaceAll("secret=\\S+", "secret=<hidden>") + "\n",
					StandardCharsets.UTF_8);
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command.get(0), ex);
		}
		Coturn coturn = new Coturn(tools, label, process, log, workDir, port);
		try {
			coturn.awaitListening();
		}
		catch (RuntimeException | Error ex) {
			coturn.close();
			throw ex;
		}
		return coturn;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	Path logFile() {
		return this.log;
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		InetSocketAddress server = new InetSocketAddress("127.0.0.1", this.port);
		boolean tcp = false;
		boolean udp = false;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("coturn (" + this.label + ") exited with " + this.process.exitValue()
						+ " before listening; its log:\n" + log());
			}
			if (!tcp) {
				try (Socket socket = new Socket()) {
					socket.connect(server, 200);
					tcp = true;
				}
				catch (IOException ex) {
					// not yet
				}
			}
			if (!udp) {
				try (DatagramSocket socket = new DatagramSocket()) {
					udp = Stun.overUdp(socket, server, Stun.bindingRequest(), Duration.ofMillis(200)).isPresent();
				}
				catch (IOException ex) {
					// not yet
				}
			}
			if (tcp && udp) {
				return;
			}
			sleep(Duration.ofMillis(50));
		}
		throw new AssertionError("coturn (" + this.label + ") not listening on 127.0.0.1:" + this.port + " after "
				+ START_TIMEOUT + "; its log:\n" + log());
	}

	/** Everything coturn has logged so far. */
	String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits (up to 5 s: coturn's log lags behind its answers a little) for a log line containing all parts. */
	boolean awaitLogLine(String... parts) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		do {
			if (hasLogLine(parts)) {
				return true;
			}
			sleep(Duration.ofMillis(50));
		}
		while (System.nanoTime() < deadline);
		return false;
	}

	boolean hasLogLine(String... parts) {
		return log().lines().anyMatch(line -> {
			for (String part : parts) {
				if (!line.contains(part)) {
					return false;
				}
			}
			return true;
		});
	}

	/** The exit code and output of one {@code turnutils_uclient} run; exit -1 if it was killed at its timeout. */
	record Run(List<String> arguments, int exitCode, String output) {

		boolean timedOut() {
			return this.exitCode == -1;
		}

		/** The last {@code tot_recv_msgs=N} the client printed: messages that came back through the relay. */
		int messagesReceived() {
			Matcher matcher = RECEIVED.matcher(this.output);
			int received = -1;
			while (matcher.find()) {
				received = Integer.parseInt(matcher.group(1));
			}
			return received;
		}

		@Override
		public String toString() {
			return "turnutils_uclient " + String.join(" ", this.arguments).replaceAll("-w \\S+", "-w <password>")
					+ "\nexit " + this.exitCode + "\n" + this.output;
		}
	}

	/**
	 * An allocation and a little traffic through it: two clients ({@code -y}) allocate relays
	 * with this credential and send one message each to the other's relay address. Exits 0 only
	 * if both allocations succeeded (takes 3 to 6 s: uclient's own pacing).
	 */
	Run allocate(TurnCredentials.Credential credential) {
		return allocate(credential.username(), credential.password());
	}

	Run allocate(String username, String password) {
		return uclient(List.of("-y", "-c", "-n", "1", "-z", "100", "-u", username, "-w", password, "-p",
				String.valueOf(this.port), "127.0.0.1"), Duration.ofSeconds(20));
	}

	/**
	 * An allocation and a channel to {@code peer} (permission + channel bind), no data sent
	 * ({@code -n 0}), over IPv4 (127.0.0.1) or, for an IPv6 peer, over ::1 with an IPv6 relay.
	 * A peer coturn refuses fails at once with "error 403 (Forbidden IP)".
	 */
	Run channelTo(String peer, String username, String password) {
		List<String> arguments = new ArrayList<>();
		boolean ipv6 = peer.contains(":");
		if (ipv6) {
			arguments.add("-x");
		}
		arguments.addAll(List.of("-c", "-n", "0", "-e", peer, "-u", username, "-w", password, "-p",
				String.valueOf(this.port), ipv6 ? "::1" : "127.0.0.1"));
		return uclient(arguments, Duration.ofSeconds(20));
	}

	Run uclient(List<String> arguments, Duration timeout) {
		List<String> command = new ArrayList<>();
		command.add(this.tools.uclient().toString());
		command.addAll(arguments);
		Path output = this.workDir.resolve(this.label + "-uclient-" + this.runs.incrementAndGet() + ".log");
		try {
			Process client = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			int exitCode;
			if (client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				exitCode = client.exitValue();
			}
			else {
				client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				exitCode = -1;
			}
			return new Run(List.copyOf(arguments), exitCode, Files.readString(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs {@code work} on a thread of its own (not the common pool, which may have a single
	 * thread on a small CI machine), for uclient runs that should overlap.
	 */
	static <T> CompletableFuture<T> inBackground(Supplier<T> work) {
		CompletableFuture<T> future = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				future.complete(work.get());
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
		}, "uclient");
		thread.setDaemon(true);
		thread.start();
		return future;
	}

	/** Kills coturn (SIGTERM, then SIGKILL after 5 s). */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Deletes a test's work folder (logs, configs, keys). */
	static void deleteRecursively(Path dir) {
		if (dir == null || !Files.exists(dir)) {
			return;
		}
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException ex) {
			// best effort
		}
	}

}
