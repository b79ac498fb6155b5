package dev.confab.bench.join;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Printable;

/** Both kinds of joins for every mode, and the modes that could not run. */
public record JoinResult(List<JoinRow> rows, Map<Side, String> skipped) implements Printable {

	@Override
	public void print(PrintStream out) {
		JoinRow.table(this.rows).print(out);
		out.println("to others: SEND join until the server's \"others\"; negotiated: until every earlier participant's"
				+ " answer and end of candidates came; total: the storm's first SEND to its last negotiated join.");
		Printable.printSkipped(out, this.skipped);
	}
}
