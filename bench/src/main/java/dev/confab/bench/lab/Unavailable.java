package dev.confab.bench.lab;

/** A side of a benchmark cannot run here: a service it needs is not configured or not reachable. */
public final class Unavailable extends RuntimeException {

	public Unavailable(String message) {
		super(message);
	}
}
