package dev.confab.call;

import java.time.OffsetDateTime;

/**
 * One participant of one room's call, as presence stores it.
 *
 * @param id         opaque, random, shown to the other participants; stays the same across resumes
 * @param roomSlug   the room
 * @param sessionId  the transport session that holds it now (or held it last, while away); never shown to others
 * @param userName   principal name of the user (its id), for user destinations
 * @param screenName what others see
 * @param epoch      page loads that resumed it (see docs/protocol.md, "Resume")
 * @param away       its socket closed without a leave: it waits for a resume, within its grace
 * @param handRaisedAt when it raised its hand (database time); null while its hand is down
 */
public record Participant(String id, String roomSlug, String sessionId, String userName, String screenName, int epoch,
		boolean away, OffsetDateTime handRaisedAt) {

	/** A participant that just joined: first epoch, not away, hand down. */
	static Participant joining(String id, String roomSlug, String sessionId, String userName, String screenName) {
		return new Participant(id, roomSlug, sessionId, userName, screenName, 0, false, null);
	}
}
