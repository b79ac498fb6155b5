package dev.confab.call;

import org.springframework.stereotype.Component;

/**
 * Tells a change of a room's call: the roster to the room's topic, and the call's routes to every
 * instance ({@link CallRoutes}). A change's roster goes out while the room's lock is held, so rosters
 * leave in the order of the changes; their version lets a client drop one that arrives late.
 */
@Component
class RosterNews {

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	private final CallRoutes routes;

	RosterNews(ParticipantMessenger messenger, CallFragments fragments, CallRoutes routes) {
		this.routes = routes;
		this.messenger = messenger;
		this.fragments = fragments;
	}

	/** To everyone following the room's topic: participants and those on the page before joining. */
	void toRoom(String roomSlug, PresenceRepository.CallNow call) {
		this.routes.changed(roomSlug, call);
		this.messenger.sendToRoom(roomSlug, CallMessages.html(this.fragments.roster(call)));
	}

	/** To one session: the roster as it is now, for a page that just started following the topic. */
	void toSession(String userName, String sessionId, Roster roster) {
		this.messenger.sendToSession(userName, sessionId, CallMessages.html(this.fragments.roster(roster)));
	}
}
