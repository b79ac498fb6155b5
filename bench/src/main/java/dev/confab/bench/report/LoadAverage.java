package dev.confab.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's one-minute load average: printed beside timings, which other work on the cores disturbs. */
public final class LoadAverage {

	private LoadAverage() {
	}

	/** From /proc/loadavg; NaN where there is none. */
	public static double oneMinute() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}
}
