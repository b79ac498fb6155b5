package dev.confab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of one {@link LoopbackNetwork}: starting long-running ones with their output in
 * {@code <label>.log}, running short commands, and killing them all again. Also the small
 * process and file helpers the harness shares. Knows nothing about namespaces: the caller puts
 * {@code ip netns exec <name>} in front of a command that is to run inside one.
 */
final class LoopbackProcesses {

	private final String networkName;

	private final Path logDir;

	private final List<Started> processes = new ArrayList<>();

	private boolean closed;

	private record Started(String label, Process process) {
	}

	/** The exit code and the combined stdout/stderr of a finished command. */
	record Result(int exitCode, String output) {
	}

	/**
	 * @param networkName names the network in the error thrown once {@link #close()} has run
	 * @param logDir where the stdout/stderr of every started process goes
	 */
	LoopbackProcesses(String networkName, Path logDir) {
		this.networkName = networkName;
		this.logDir = logDir;
	}

	/** Starts a long-running process; output goes to {@code <label>.log}. Refused once closed. */
	synchronized Process start(String label, List<String> command) {
		if (this.closed) {
			throw new IllegalStateException("network " + this.networkName + " is closed");
		}
		Path log = this.logDir.resolve(label + ".log");
		try {
			Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			builder.environment().put("SE_AVOID_STATS", "true");
			Process process = builder.start();
			this.processes.add(new Started(label, process));
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + label + ": " + command, ex);
		}
	}

	/**
	 * Refuses further {@link #start starts}.
	 * @return {@code true} the first time, {@code false} if this was already closed
	 */
	synchronized boolean close() {
		if (this.closed) {
			return false;
		}
		this.closed = true;
		return true;
	}

	/** Every process started here, each preceded by its descendants. */
	List<ProcessHandle> startedWithDescendants() {
		List<ProcessHandle> handles = new ArrayList<>();
		for (Started started : this.processes) {
			ProcessHandle handle = started.process().toHandle();
			handle.descendants().forEach(handles::add);
			handles.add(handle);
		}
		return handles;
	}

	/** Asks every process to exit, waits up to {@code grace} in all, then kills those still alive. */
	static void terminate(List<ProcessHandle> handles, Duration grace) {
		handles.forEach(ProcessHandle::destroy);
		long deadline = System.nanoTime() + grace.toNanos();
		for (ProcessHandle handle : handles) {
			long left = deadline - System.nanoTime();
			if (left > 0) {
				try {
					handle.onExit().get(left, TimeUnit.NANOSECONDS);
				}
				catch (Exception ex) {
					// forced below
				}
			}
		}
		handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	/** The live processes among whitespace-separated pids (as {@code ip netns pids} prints them). */
	static List<ProcessHandle> parsePids(String output) {
		List<ProcessHandle> result = new ArrayList<>();
		for (String pid : output.split("\\s+")) {
			if (!pid.isBlank() && pid.chars().allMatch(Character::isDigit)) {
				ProcessHandle.of(Long.parseLong(pid)).ifPresent(result::add);
			}
		}
		return result;
	}

	/** Runs a short command and waits for it (30 s at most). Never throws: failures are results. */
	static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			byte[] out = process.getInputStream().readAllBytes();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out: " + command);
			}
			return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new Result(-1, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "interrupted");
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort: a profile file still being written by a dying browser
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort
		}
	}

}
