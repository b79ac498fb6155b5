package dev.confab.call;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How calls treat participants that lost their connection, and how often one may join.
 *
 * @param resumeGrace    how long a participant whose socket closed without a leave stays in the call, away, waiting to resume
 * @param unloadGrace    the same for a page that said it is going away (a reload resumes within it; a closed tab leaves after it)
 * @param joinsPerMinute joins (and resumes) per session in any minute
 * @param maxParticipants the participant limit of every room (an owner may set a lower one): the practical ceiling of a video mesh
 * @param removalBan     how long a user the owner removed cannot join that room's call again
 * @param reactionsPerMinute reactions per participant in any minute; more are dropped
 * @param requestsInFlight call requests (joins, leaves, resumes, rosters, owner commands) waiting on the
 *                       database at once on this instance; past it requests are shed (docs/protocol.md, ERROR). Enough for
 *                       the resumes of a dead instance's sessions, which all come at once
 * @param requestsInFlightPerSession the same for one session: a client that floods is shed before it fills the instance
 */
@Validated
@ConfigurationProperties(prefix = "confab.call")
public record CallProperties(
		@DefaultValue("30s") @NotNull Duration resumeGrace,
		@DefaultValue("5s") @NotNull Duration unloadGrace,
		@DefaultValue("10") @Min(1) int joinsPerMinute,
		@DefaultValue("8") @Min(2) @Max(64) int maxParticipants,
		@DefaultValue("5m") @NotNull Duration removalBan,
		@DefaultValue("30") @Min(1) int reactionsPerMinute,
		@DefaultValue("1024") @Min(1) int requestsInFlight,
		@DefaultValue("8") @Min(1) int requestsInFlightPerSession) {

	@AssertTrue(message = "resume-grace and unload-grace must be positive, the unload grace no longer than the resume grace")
	boolean isGraceSound() {
		return resumeGrace == null || unloadGrace == null
				|| !resumeGrace.isNegative() && !unloadGrace.isNegative() && !resumeGrace.isZero()
						&& unloadGrace.compareTo(resumeGrace) <= 0;
	}
}
