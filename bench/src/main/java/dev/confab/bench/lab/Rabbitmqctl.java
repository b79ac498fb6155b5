package dev.confab.bench.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code rabbitmqctl} as {@code CONFAB_TEST_RABBITMQCTL} names it (e.g. {@code sudo rabbitmqctl}). */
public final class Rabbitmqctl {

	private final List<String> command;

	Rabbitmqctl(List<String> command) {
		this.command = List.copyOf(command);
	}

	/** Runs it with {@code args} and returns its standard output; fails on a non-zero exit. */
	public String run(String... args) {
		return runWithInput(null, args);
	}

	/** The same, with {@code input} on its standard input (a password, kept out of the process list). */
	String runWithInput(String input, String... args) {
		List<String> full = new ArrayList<>(this.command);
		full.add("-q");
		full.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
			try (OutputStream stdin = process.getOutputStream()) {
				if (input != null) {
					stdin.write((input + "\n").getBytes(StandardCharsets.UTF_8));
				}
			}
			CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process));
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", full) + " did not finish within 60 s");
			}
			String text = new String(output.join(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", full) + " failed (" + process.exitValue() + "): " + text.strip());
			}
			return text;
		}
		catch (IOException ex) {
			throw new Unavailable("cannot run " + this.command + " (CONFAB_TEST_RABBITMQCTL): " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The operating-system pid of the broker's Erlang VM (beam.smp). */
	public long brokerPid() {
		return Long.parseLong(run("eval", "os:getpid().").replace("\"", "").strip());
	}

	/**
	 * How many more sockets the broker may open: its limit (from its file descriptor limit, less
	 * what it keeps for files) minus those in use. Every relay session and Web-STOMP client is one.
	 */
	public int freeSockets() {
		String info = run("eval", "{L, U} = {file_handle_cache:info([sockets_limit]), file_handle_cache:info([sockets_used])},"
				+ " proplists:get_value(sockets_limit, L) - proplists:get_value(sockets_used, U).");
		return Integer.parseInt(info.strip());
	}

	private static byte[] readAll(Process process) {
		try {
			return process.getInputStream().readAllBytes();
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}
}
