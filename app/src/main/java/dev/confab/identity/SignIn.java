package dev.confab.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * What a valid identity cookie says: who, under which sign-out epoch it was issued, and when it
 * ends. It counts only while {@code signOutEpoch} is still the user's epoch ({@link SignOutEpochs}).
 */
record SignIn(ConfabUser user, long signOutEpoch, Instant expiresAt) {

	SignIn {
		Objects.requireNonNull(user, "user");
		Objects.requireNonNull(expiresAt, "expiresAt");
	}
}
