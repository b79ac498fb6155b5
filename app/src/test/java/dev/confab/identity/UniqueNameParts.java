package dev.confab.identity;

import java.util.concurrent.atomic.AtomicInteger;

/** Name parts unique to one test, for tests whose database outlives them. */
final class UniqueNameParts {

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private UniqueNameParts() {
	}

	/**
	 * A suffix both names of a look-alike pair can share: digits belong to no script and look like no
	 * letter (0 and 1 do, so not those).
	 */
	static String digits() {
		return spell(8, '2');
	}

	/** Letters only, as real names must be. */
	static String letters() {
		return spell(26, 'a');
	}

	private static String spell(int base, char first) {
		StringBuilder spelled = new StringBuilder();
		for (long n = COUNTER.incrementAndGet() * 100_000L + System.nanoTime() % 100_000; n > 0; n /= base) {
			spelled.append((char) (first + n % base));
		}
		return spelled.toString();
	}
}
