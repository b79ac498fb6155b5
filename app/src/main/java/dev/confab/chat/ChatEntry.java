package dev.confab.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One chat message as the template shows it (public for the template's expressions).
 *
 * @param id       the message's id: {@code id="chat-<id>"} and {@code data-seq}
 * @param from     the sender's participant id ({@code data-from}), so the page can mark its own
 * @param name     the sender's screen name
 * @param datetime when it was sent, ISO-8601 in UTC to the second ({@code <time datetime>})
 * @param time     the same as the page shows it: {@code HH:mm UTC} (the server knows no reader's time zone)
 * @param segments the text cut into plain runs and links
 */
public record ChatEntry(long id, String from, String name, String datetime, String time, List<ChatText.Segment> segments) {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

	public ChatEntry {
		segments = List.copyOf(segments);
	}

	static ChatEntry of(ChatMessage message) {
		Instant sent = message.sentAt().toInstant().truncatedTo(ChronoUnit.SECONDS);
		return new ChatEntry(message.id(), message.participantId(), message.screenName(),
				DateTimeFormatter.ISO_INSTANT.format(sent), CLOCK.format(sent), ChatText.segments(message.body()));
	}
}
