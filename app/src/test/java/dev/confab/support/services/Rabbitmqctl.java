package dev.confab.support.services;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/** {@code rabbitmqctl}, run on this machine or inside the Testcontainers container. */
interface Rabbitmqctl {

	/** Runs {@code rabbitmqctl <args>} and returns its standard output; fails on a non-zero exit. */
	String run(String... args);

	/** The command configured in {@code CONFAB_TEST_RABBITMQCTL} (split on spaces, e.g. {@code sudo rabbitmqctl}). */
	record Local(List<String> command) implements Rabbitmqctl {

		@Override
		public String run(String... args) {
			List<String> full = new ArrayList<>(this.command);
			full.addAll(List.of(args));
			try {
				Process process = new ProcessBuilder(full).redirectErrorStream(true)
						.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
				byte[] out = process.getInputStream().readAllBytes();
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("`" + String.join(" ", full) + "` did not finish within 60 s");
				}
				String output = new String(out, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new IllegalStateException("`" + String.join(" ", redact(full)) + "` failed (exit "
							+ process.exitValue() + "): " + output.strip());
				}
				return output;
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot run " + this.command + " (CONFAB_TEST_RABBITMQCTL): " + ex, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** rabbitmqctl inside the container that Testcontainers started. */
	record InContainer(RabbitMQContainer container) implements Rabbitmqctl {

		@Override
		public String run(String... args) {
			List<String> full = new ArrayList<>(List.of("rabbitmqctl"));
			full.addAll(List.of(args));
			return exec(full);
		}

		void plugins(String... args) {
			List<String> full = new ArrayList<>(List.of("rabbitmq-plugins"));
			full.addAll(List.of(args));
			exec(full);
		}

		private String exec(List<String> full) {
			try {
				ExecResult result = this.container.execInContainer(full.toArray(String[]::new));
				if (result.getExitCode() != 0) {
					throw new IllegalStateException("`" + String.join(" ", redact(full)) + "` in the container failed (exit "
							+ result.getExitCode() + "): " + result.getStdout().strip() + " " + result.getStderr().strip());
				}
				return result.getStdout();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** The command line without the password that {@code add_user} carries. */
	private static List<String> redact(List<String> command) {
		int add = command.indexOf("add_user");
		if (add < 0 || add + 2 >= command.size()) {
			return command;
		}
		List<String> shown = new ArrayList<>(command);
		shown.set(add + 2, "<password>");
		return shown;
	}
}
