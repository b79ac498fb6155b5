package dev.confab.call;

import org.springframework.stereotype.Component;

/**
 * Sends rosters. A change's roster goes out while the room's lock is held, so rosters leave in the
 * order of the changes; their version lets a client drop one that arrives late.
 */
@Component
class RosterNews {

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	RosterNews(ParticipantMessenger messenger, CallFragments fragments) {
		this.messenger = messenger;
		this.fragments = fragments;
	}

	/** To everyone following the room's topic: participants and those on the page before joining. */
	void toRoom(String roomSlug, PresenceRepository.CallNow call) {
		this.messenger.sendToRoom(roomSlug, CallMessages.html(this.fragments.roster(call)));
	}

	/** To one session: the roster as it is now, for a page that just started following the topic. */
	void toSession(String userName, String sessionId, Roster roster) {
		this.messenger.sendToSession(userName, sessionId, CallMessages.html(this.fragments.roster(roster)));
	}
}
