package dev.confab.bench.fanout;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Printable;
import dev.confab.bench.report.Table;

/** Every step's row, and what could not run. Prints the steps, the highest fast rates and the ratios to the floor. */
public record FanOutResult(List<FanOutRow> rows, Map<Side, String> skipped) implements Printable {

	@Override
	public void print(PrintStream out) {
		Table steps = new Table("Fan-out latency (rooms of 6, one sender each)", "side", "size", "target/s", "delivered/s",
				"p50 ms", "p99 ms", "max ms", "lost", "load", "Confab CPU ms / 1k", "RabbitMQ CPU ms / 1k");
		this.rows.forEach(row -> steps.row(row.side().label(), FanOutRow.size(row.bytes()), row.rate(),
				Math.round(row.perSecond()), Table.millis(row.p50()), Table.millis(row.p99()), Table.millis(row.max()), row.lost(),
				Table.decimal(row.load(), 1), cpu(row.confabCpu()), cpu(row.brokerCpu())));
		steps.print(out);
		highestFastRates().print(out);
		ratiosToFloor().print(out);
		Printable.printSkipped(out, this.skipped);
	}

	private static String cpu(double millisPerThousand) {
		return millisPerThousand < 0 ? "-" : Table.decimal(millisPerThousand, 0);
	}

	/** Per side and size: the highest rate whose p99 stayed under 100 ms with nothing lost. */
	public Table highestFastRates() {
		List<Integer> sizes = sizes();
		List<String> headers = new ArrayList<>(List.of("side"));
		sizes.forEach(bytes -> headers.add(FanOutRow.size(bytes)));
		Table table = new Table("Highest rate with p99 < 100 ms (deliveries/s)", headers.toArray(String[]::new));
		for (Side side : sides()) {
			List<Object> cells = new ArrayList<>(List.of(side.label()));
			for (int bytes : sizes) {
				OptionalInt highest = this.rows.stream().filter(row -> row.side() == side && row.bytes() == bytes && row.fast())
						.mapToInt(FanOutRow::rate).max();
				cells.add(highest.isPresent() ? Integer.toString(highest.getAsInt()) : "none");
			}
			table.row(cells.toArray());
		}
		return table;
	}

	/** p50 and p99 of each Confab side divided by the floor's, where both ran that rate. */
	public Table ratiosToFloor() {
		List<Side> confab = List.of(Side.EMBEDDED, Side.RELAY, Side.STOMP_RELAY);
		List<String> headers = new ArrayList<>(List.of("size", "target/s"));
		confab.forEach(side -> headers.addAll(List.of(side.key() + " p50", side.key() + " p99")));
		headers.add("relay p99 / stomp-relay p99");
		Table table = new Table("Latency vs Web-STOMP direct (same size and rate)", headers.toArray(String[]::new));
		for (FanOutRow floor : this.rows) {
			if (floor.side() != Side.WEBSTOMP) {
				continue;
			}
			List<Object> cells = new ArrayList<>(List.of(FanOutRow.size(floor.bytes()), floor.rate()));
			for (Side side : confab) {
				Optional<FanOutRow> row = find(side, floor);
				cells.add(row.map(each -> Table.ratio(each.p50(), floor.p50())).orElse("-"));
				cells.add(row.map(each -> Table.ratio(each.p99(), floor.p99())).orElse("-"));
			}
			Optional<FanOutRow> relay = find(Side.RELAY, floor);
			Optional<FanOutRow> stompRelay = find(Side.STOMP_RELAY, floor);
			cells.add(relay.isPresent() && stompRelay.isPresent()
					? Table.ratio(relay.get().p99(), stompRelay.get().p99()) : "-");
			table.row(cells.toArray());
		}
		return table;
	}

	private Optional<FanOutRow> find(Side side, FanOutRow like) {
		return this.rows.stream().filter(row -> row.side() == side && row.bytes() == like.bytes() && row.rate() == like.rate())
				.findFirst();
	}

	private List<Integer> sizes() {
		return List.copyOf(new TreeSet<>(this.rows.stream().map(FanOutRow::bytes).toList()));
	}

	private List<Side> sides() {
		return this.rows.stream().map(FanOutRow::side).distinct().toList();
	}
}
