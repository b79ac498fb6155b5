package dev.confab.identity;

/**
 * A user logged out: every socket of that user, on every instance, is to be closed.
 *
 * @param userName the user's principal name, {@link ConfabUser#getName()} (the user id)
 */
public record UserLoggedOut(String userName) {
}
