package dev.confab.stomp;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.springframework.core.env.Environment;

/**
 * The relay's bindings in the test context's virtual host, through {@code CONFAB_TEST_RABBITMQCTL}
 * (what CI sets). In relay mode every destination a session of an instance follows is one such
 * binding. Absent in embedded mode and when the broker is a Testcontainers container (its
 * rabbitmqctl is inside the container).
 */
final class BrokerBindings {

	private final List<String> rabbitmqctl;

	private final String virtualHost;

	private BrokerBindings(List<String> rabbitmqctl, String virtualHost) {
		this.rabbitmqctl = rabbitmqctl;
		this.virtualHost = virtualHost;
	}

	/** @return null when the context does not run the relay or rabbitmqctl is not configured */
	static BrokerBindings of(Environment environment) {
		String ctl = System.getenv("CONFAB_TEST_RABBITMQCTL");
		if (!"relay".equals(environment.getProperty("confab.broker.mode")) || ctl == null || ctl.isBlank()) {
			return null;
		}
		return new BrokerBindings(Arrays.asList(ctl.strip().split(" +")), environment.getRequiredProperty("spring.rabbitmq.virtual-host"));
	}

	/** The destinations bound to an instance's queue on the relay's exchange (routing keys). */
	Set<String> boundDestinations() {
		return new TreeSet<>(run("list_bindings", "-p", this.virtualHost, "source_name", "routing_key").stream()
				.filter(line -> line.startsWith("confab.relay\t")).map(line -> line.substring("confab.relay\t".length()))
				.toList());
	}

	private List<String> run(String... arguments) {
		List<String> command = new ArrayList<>(this.rabbitmqctl);
		command.addAll(List.of("-s"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: " + out.strip());
			}
			return out.lines().filter(line -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
