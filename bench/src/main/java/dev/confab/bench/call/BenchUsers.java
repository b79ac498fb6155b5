package dev.confab.bench.call;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.confab.bench.client.ConfabPages;

/**
 * Users and rooms with names no earlier run on the same deployment used (the smoke run shares
 * its instances between scenarios): a random tag per group, then a number.
 */
public final class BenchUsers {

	private final ConfabPages pages;

	private final String tag;

	public BenchUsers(ConfabPages pages, String prefix) {
		this.pages = pages;
		this.tag = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
	}

	/** Logs in user {@code n} of this group; returns its identity cookie. */
	public String login(int n) {
		return this.pages.login(this.tag + "-" + n);
	}

	/** Creates room {@code n} of this group as the user with that cookie; returns its slug. */
	public String room(String cookie, int n) {
		return this.pages.createRoom(cookie, this.tag + " room " + n);
	}
}
