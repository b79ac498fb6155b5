package dev.confab.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The room roster fragment (docs/protocol.md, "Room roster"), read from an {@code html} message:
 * its {@code data-version}, its title, and each listed participant with whether it is away.
 *
 * @param version      the room's roster version ({@code data-version} of {@code <section id="roster">})
 * @param title        the heading, e.g. {@code 2 people in the call}
 * @param participants participant id to away, in the order listed
 */
public record RosterHtml(long version, String title, Map<String, Boolean> participants) {

	private static final Pattern SECTION = Pattern.compile("<section\\b[^>]*\\bid=\"roster\"[^>]*>(.*?)</section>",
			Pattern.DOTALL);

	private static final Pattern VERSION = Pattern.compile("\\bdata-version=\"(\\d+)\"");

	private static final Pattern TITLE = Pattern.compile("<h2\\b[^>]*>([^<]*)</h2>");

	private static final Pattern ITEM = Pattern.compile("<li\\b([^>]*)>");

	private static final Pattern PARTICIPANT = Pattern.compile("\\bdata-participant=\"([A-Za-z0-9_-]+)\"");

	/** Whether a fragment carries a roster at all. */
	public static boolean isIn(String html) {
		return html != null && SECTION.matcher(html).find();
	}

	/** The roster in that fragment; fails when there is none or it has no version. */
	public static RosterHtml of(String html) {
		Matcher section = SECTION.matcher(html);
		if (!section.find()) {
			throw new AssertionError("No <section id=\"roster\"> in " + html);
		}
		String openTag = section.group(0).substring(0, section.group(0).indexOf('>') + 1);
		Matcher version = VERSION.matcher(openTag);
		if (!version.find()) {
			throw new AssertionError("The roster carries no data-version: " + openTag);
		}
		Matcher title = TITLE.matcher(section.group(1));
		Map<String, Boolean> participants = new LinkedHashMap<>();
		Matcher item = ITEM.matcher(section.group(1));
		while (item.find()) {
			Matcher id = PARTICIPANT.matcher(item.group(1));
			if (id.find()) {
				participants.put(id.group(1), item.group(1).contains("data-away=\"true\""));
			}
		}
		return new RosterHtml(Long.parseLong(version.group(1)), title.find() ? title.group(1).trim() : "",
				java.util.Collections.unmodifiableMap(participants));
	}

	public boolean lists(String participantId) {
		return this.participants.containsKey(participantId);
	}

	public boolean isAway(String participantId) {
		return Boolean.TRUE.equals(this.participants.get(participantId));
	}

	/** Listed and not away. */
	public boolean isPresent(String participantId) {
		return Boolean.FALSE.equals(this.participants.get(participantId));
	}
}
