package dev.confab.bench.reconnect;

import java.util.List;

import dev.confab.bench.report.Latencies;
import dev.confab.bench.report.Table;

/**
 * One stop of instance a: how many of its sessions resumed on b, how long after the signal (and
 * after their own connection ended), and what the others saw.
 */
public record ReconnectRow(String stop, int sessions, int moved, int resumed, Latencies sinceStop, Latencies sinceDrop,
		double allResumedMillis, int backEvents, int problems) {

	static Table table(List<ReconnectRow> rows) {
		Table table = new Table("Reconnect after instance a stops (relay, 2 instances; its sessions resume on b)", "stop",
				"sessions", "on a", "resumed", "since stop p50 ms", "since stop p99 ms", "since stop max ms",
				"since drop p50 ms", "since drop p99 ms", "all resumed ms", "back events", "problems");
		rows.forEach(row -> table.row(row.stop(), row.sessions(), row.moved(), row.resumed(), Table.millis(row.sinceStop().p50()),
				Table.millis(row.sinceStop().p99()), Table.millis(row.sinceStop().max()), Table.millis(row.sinceDrop().p50()),
				Table.millis(row.sinceDrop().p99()), Table.millis(row.allResumedMillis()), row.backEvents(), row.problems()));
		return table;
	}
}
