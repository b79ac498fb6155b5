package dev.confab.identity;

import java.security.Principal;
import java.util.Objects;
import java.util.UUID;

/**
 * A logged-in user as every other part of Confab sees it. The principal name is the
 * user id, so Spring's user destinations and {@link UserConnections} key on the id,
 * never on the (displayed, user-chosen) screen name.
 */
public record ConfabUser(UUID id, String screenName) implements Principal {

	public ConfabUser {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(screenName, "screenName");
	}

	@Override
	public String getName() {
		return id.toString();
	}
}
