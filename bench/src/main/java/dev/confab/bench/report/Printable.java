package dev.confab.bench.report;

import java.io.PrintStream;
import java.util.Map;

import dev.confab.bench.lab.Side;

/** A benchmark's figures, printed as tables at the end of a run. */
public interface Printable {

	void print(PrintStream out);

	/** The sides that could not run here, with why (under the tables: a reader must not take a gap for a result). */
	static void printSkipped(PrintStream out, Map<Side, String> skipped) {
		skipped.forEach((side, why) -> out.println("skipped " + side.label() + ": " + why));
	}
}
