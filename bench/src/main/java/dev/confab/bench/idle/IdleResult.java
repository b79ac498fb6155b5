package dev.confab.bench.idle;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Printable;

/** Every step of every mode, and the modes that could not run. */
public record IdleResult(List<IdleRow> rows, Map<Side, String> skipped) implements Printable {

	@Override
	public void print(PrintStream out) {
		IdleRow.table(this.rows).print(out);
		out.println("MB/session: growth of resident memory since before the first session, divided by the open sessions;"
				+ " heap: growth of the live heap after a full GC; sessions per GB: Confab and RabbitMQ resident memory together.");
		Printable.printSkipped(out, this.skipped);
	}
}
