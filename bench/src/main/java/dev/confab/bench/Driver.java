package dev.confab.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dev.confab.bench.client.ClientPool;
import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Lab;
import dev.confab.bench.lab.Side;
import dev.confab.bench.lab.Unavailable;

/** What every benchmark runs with: the servers, the load driver's threads, and where progress goes. */
public record Driver(Lab lab, ClientPool pool, PrintStream out) {

	/**
	 * Measures each Confab mode in turn on its deployment (all started at once first), adding the
	 * rows to {@code rows}; returns the modes that cannot run here, with why.
	 */
	public <R> Map<Side, String> eachMode(String scenario, List<Side> modes, BiFunction<Side, Deployment, List<R>> measure,
			List<R> rows) {
		this.lab.prepare(modes);
		Map<Side, String> skipped = new LinkedHashMap<>();
		for (Side mode : modes) {
			try {
				rows.addAll(measure.apply(mode, this.lab.deployment(mode)));
			}
			catch (Unavailable ex) {
				skipped.put(mode, ex.getMessage());
				this.out.printf("[%s] %s skipped: %s%n", scenario, mode.label(), ex.getMessage());
			}
		}
		return skipped;
	}
}
