package dev.confab.bench.join;

import java.util.List;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Latencies;
import dev.confab.bench.report.Table;

/** Joins of one kind in one mode: to the server's {@code others}, and to the last answer. */
public record JoinRow(Side mode, String kind, int joins, int failed, Latencies toOthers, Latencies toNegotiated,
		double totalMillis) {

	static Table table(List<JoinRow> rows) {
		Table table = new Table("Joins (offer, answer and candidates with every earlier participant)", "side", "what",
				"joins", "failed", "to others p50 ms", "to others p99 ms", "negotiated p50 ms", "negotiated p99 ms",
				"negotiated max ms", "total ms");
		rows.forEach(row -> table.row(row.mode().label(), row.kind(), row.joins(), row.failed(),
				Table.millis(row.toOthers().p50()), Table.millis(row.toOthers().p99()), Table.millis(row.toNegotiated().p50()),
				Table.millis(row.toNegotiated().p99()), Table.millis(row.toNegotiated().max()), Table.millis(row.totalMillis())));
		return table;
	}
}
