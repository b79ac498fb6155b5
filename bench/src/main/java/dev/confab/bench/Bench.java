package dev.confab.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.confab.bench.client.ClientPool;
import dev.confab.bench.fanout.FanOutBenchmark;
import dev.confab.bench.fanout.FanOutSettings;
import dev.confab.bench.idle.IdleBenchmark;
import dev.confab.bench.idle.IdleSettings;
import dev.confab.bench.join.JoinBenchmark;
import dev.confab.bench.join.JoinSettings;
import dev.confab.bench.lab.Lab;
import dev.confab.bench.lab.Services;
import dev.confab.bench.reconnect.ReconnectBenchmark;
import dev.confab.bench.reconnect.ReconnectSettings;
import dev.confab.bench.report.Printable;

/**
 * {@code java -jar bench/target/confab-bench.jar <scenario> [--option value ...]}: starts Confab
 * from its packaged jar (and uses RabbitMQ and PostgreSQL from the {@code CONFAB_TEST_*}
 * variables), runs one scenario and prints its figures. docs/benchmarks.md explains each.
 */
public final class Bench {

	/** A scenario: reads its options first (so that unknown ones fail before anything starts), then runs. */
	private interface Scenario {

		Run prepare(Options options);
	}

	private interface Run {

		Printable run(Driver driver);
	}

	private static final Map<String, Scenario> SCENARIOS = Map.of(
			"fanout", options -> {
				FanOutSettings settings = FanOutSettings.from(options);
				return driver -> new FanOutBenchmark(driver, settings).run();
			},
			"idle", options -> {
				IdleSettings settings = IdleSettings.from(options);
				return driver -> new IdleBenchmark(driver, settings).run();
			},
			"join", options -> {
				JoinSettings settings = JoinSettings.from(options);
				return driver -> new JoinBenchmark(driver, settings).run();
			},
			"reconnect", options -> {
				ReconnectSettings settings = ReconnectSettings.from(options);
				return driver -> new ReconnectBenchmark(driver, settings).run();
			});

	private Bench() {
	}

	public static void main(String[] args) {
		System.exit(run(Arrays.asList(args), System.out));
	}

	static int run(List<String> args, PrintStream out) {
		if (args.isEmpty() || !SCENARIOS.containsKey(args.get(0))) {
			out.println("usage: java -jar bench/target/confab-bench.jar fanout|idle|join|reconnect [--option value ...]");
			out.println("       (options and figures: docs/benchmarks.md; services: " + Services.missing() + ")");
			return 2;
		}
		long started = System.nanoTime();
		Options options;
		Run run;
		Lab.Settings lab;
		try {
			options = Options.parse(args.subList(1, args.size()));
			lab = labSettings(options);
			run = SCENARIOS.get(args.get(0)).prepare(options);
			options.requireAllKnown();
		}
		catch (IllegalArgumentException ex) {
			out.println("bench: " + ex.getMessage());
			return 2;
		}
		out.println("[bench] " + args.get(0) + " " + options.used());
		Printable figures;
		try (Lab running = new Lab(lab, Services.fromEnvironment(System.getenv())); ClientPool pool = ClientPool.forThisMachine()) {
			if (!running.hasServices()) {
				out.println("[bench] " + Services.missing() + "; only embedded parts run");
			}
			figures = run.run(new Driver(running, pool, out));
		}
		figures.print(out);
		out.printf("[bench] %s took %.0f s: java -jar bench/target/confab-bench.jar %s %s%n", args.get(0),
				(System.nanoTime() - started) / 1e9, args.get(0), options.used());
		return 0;
	}

	/** Where the Confab jar is, how its JVMs run and where their logs go. */
	public static Lab.Settings labSettings(Options options) {
		Path jar = Path.of(options.string("jar", "app/target/confab.jar")).toAbsolutePath();
		List<String> jvm = List.of(options.string("jvm-opts", "-Xmx512m").strip().split(" +"));
		Path logs = Path.of(options.string("logs", jar.getParent().resolve("bench-logs").toString()));
		return new Lab.Settings(jar, jvm, logs, Duration.ofSeconds(options.integer("start-timeout-seconds", 180)));
	}
}
