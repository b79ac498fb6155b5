package dev.confab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value} or {@code --name=value}. Every lookup names its
 * default, and {@link #used()} lists what a run used, defaults included, so that its output says
 * exactly how to run it again.
 */
public final class Options {

	private final Map<String, String> given;

	private final Map<String, String> used = new LinkedHashMap<>();

	private final Set<String> read = new LinkedHashSet<>();

	private Options(Map<String, String> given) {
		this.given = given;
	}

	public static Options parse(List<String> args) {
		Map<String, String> given = new LinkedHashMap<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("--") || arg.length() < 3) {
				throw new IllegalArgumentException("Expected --option, got '" + arg + "'");
			}
			int eq = arg.indexOf('=');
			if (eq > 0) {
				given.put(arg.substring(2, eq), arg.substring(eq + 1));
			}
			else if (i + 1 < args.size()) {
				given.put(arg.substring(2), args.get(++i));
			}
			else {
				throw new IllegalArgumentException("Option " + arg + " needs a value");
			}
		}
		return new Options(given);
	}

	public static Options of(String... args) {
		return parse(Arrays.asList(args));
	}

	public String string(String name, String fallback) {
		String value = this.given.getOrDefault(name, fallback);
		this.read.add(name);
		this.used.put(name, value);
		return value;
	}

	public int integer(String name, int fallback) {
		String value = string(name, Integer.toString(fallback));
		try {
			return Integer.parseInt(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
		}
	}

	public double decimal(String name, double fallback) {
		String value = string(name, Double.toString(fallback));
		try {
			return Double.parseDouble(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
		}
	}

	/** A comma-separated list. */
	public List<String> strings(String name, String fallback) {
		return Arrays.stream(string(name, fallback).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
	}

	public List<Integer> integers(String name, String fallback) {
		List<Integer> values = new ArrayList<>();
		for (String value : strings(name, fallback)) {
			try {
				values.add(Integer.parseInt(value));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + name + " takes whole numbers, not '" + value + "'");
			}
		}
		return values;
	}

	/** Fails on options that nothing read: a typo must not silently run the defaults. */
	public void requireAllKnown() {
		Set<String> unknown = new LinkedHashSet<>(this.given.keySet());
		unknown.removeAll(this.read);
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Unknown option(s): --" + String.join(", --", unknown));
		}
	}

	/** What the run used, as options: {@code --rooms 20 --sizes 200,1024}. */
	public String used() {
		StringBuilder out = new StringBuilder();
		this.used.forEach((name, value) -> out.append(out.length() == 0 ? "" : " ").append("--").append(name).append(' ')
				.append(value.contains(" ") ? "'" + value + "'" : value));
		return out.toString();
	}
}
