package dev.confab.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table with aligned columns: readable in a terminal, and pasted as it is into
 * docs/benchmarks.md. Numbers are right-aligned.
 */
public final class Table {

	private final String title;

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	public Table(String title, String... headers) {
		this.title = title;
		this.headers = List.of(headers);
	}

	public Table row(Object... cells) {
		if (cells.length != this.headers.size()) {
			throw new IllegalArgumentException(cells.length + " cells for " + this.headers.size() + " columns");
		}
		this.rows.add(Arrays.stream(cells).map(Table::text).toList());
		return this;
	}

	public List<List<String>> rows() {
		return List.copyOf(this.rows);
	}

	public boolean isEmpty() {
		return this.rows.isEmpty();
	}

	public void print(PrintStream out) {
		int[] widths = new int[this.headers.size()];
		for (int c = 0; c < widths.length; c++) {
			widths[c] = this.headers.get(c).length();
			for (List<String> row : this.rows) {
				widths[c] = Math.max(widths[c], row.get(c).length());
			}
		}
		out.println();
		out.println("### " + this.title);
		out.println();
		out.println(line(this.headers, widths));
		StringBuilder rule = new StringBuilder("|");
		for (int width : widths) {
			rule.append('-').append("-".repeat(width)).append("-|");
		}
		out.println(rule);
		this.rows.forEach(row -> out.println(line(row, widths)));
		out.println();
	}

	/** Milliseconds with a precision that fits their size; "-" for none. */
	public static String millis(double ms) {
		if (Double.isNaN(ms)) {
			return "-";
		}
		return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.0f", ms);
	}

	/** A ratio such as 1.3x; "-" when either side is missing. */
	public static String ratio(double value, double floor) {
		if (Double.isNaN(value) || Double.isNaN(floor) || floor <= 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.1fx", value / floor);
	}

	public static String decimal(double value, int digits) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", value);
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder out = new StringBuilder("|");
		for (int c = 0; c < widths.length; c++) {
			String cell = cells.get(c);
			boolean number = !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.equals("-"));
			out.append(' ').append(number ? pad(cell, widths[c], true) : pad(cell, widths[c], false)).append(" |");
		}
		return out.toString();
	}

	private static String pad(String cell, int width, boolean right) {
		String space = " ".repeat(width - cell.length());
		return right ? space + cell : cell + space;
	}

	private static String text(Object cell) {
		return cell == null ? "-" : cell.toString();
	}
}
