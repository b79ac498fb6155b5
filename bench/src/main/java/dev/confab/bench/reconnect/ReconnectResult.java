package dev.confab.bench.reconnect;

import java.io.PrintStream;
import java.util.List;
import dev.confab.bench.report.Printable;

/** Every round, or why none could run. */
public record ReconnectResult(List<ReconnectRow> rows, String skipped) implements Printable {

	@Override
	public void print(PrintStream out) {
		ReconnectRow.table(this.rows).print(out);
		out.println("since stop: from the signal to \"resumed\"; since drop: from the session's ERROR or lost socket to"
				+ " \"resumed\"; back events: what the participants on b were told (each pair stays live).");
		if (this.skipped != null) {
			out.println("skipped: " + this.skipped);
		}
	}
}
