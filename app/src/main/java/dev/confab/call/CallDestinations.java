package dev.confab.call;

/** The broker destinations of calls and the lobby, as clients see them (docs/protocol.md). */
public final class CallDestinations {

	/** Each session's own queue, as a user destination: {@code /user/queue/events}. */
	public static final String PERSONAL_QUEUE = "/queue/events";

	/** Room list updates for every open lobby page. */
	public static final String LOBBY_TOPIC = "/topic/lobby";

	/** Roster updates for the participants of one room's call. */
	public static final String ROOM_TOPIC_PREFIX = "/topic/room.";

	private CallDestinations() {
	}

	public static String roomTopic(String roomSlug) {
		return ROOM_TOPIC_PREFIX + roomSlug;
	}
}
