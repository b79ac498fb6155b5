package dev.confab.call;

import org.springframework.stereotype.Component;

/**
 * Tells a change of a room's call: the roster to the room's topic, and the call's routes to every
 * instance ({@link CallRoutes}). A change's roster goes out once it committed, in the order of the
 * room's changes on this instance ({@link CallChanges}); its version lets a client drop one that
 * arrives late, from another instance.
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

	/**
	 * To everyone following the room's topic: participants and those on the page before joining.
	 * The routes first, so that answers to the change's events find whom it added.
	 * @return the roster's fragment, for a message of the same change that carries it too
	 */
	String toRoom(String roomSlug, PresenceRepository.CallNow call) {
		this.routes.changed(roomSlug, call);
		String roster = this.fragments.roster(call);
		this.messenger.sendToRoom(roomSlug, CallMessages.html(roster));
		return roster;
	}

	/** To one session: the roster as it is now, for a page that just started following the topic. */
	void toSession(String userName, String sessionId, Roster roster) {
		this.messenger.sendToSession(userName, sessionId, CallMessages.html(this.fragments.roster(roster)));
	}
}
