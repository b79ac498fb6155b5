package dev.confab.ice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test seam: {@link IceServers} on a fixed clock, so a documented TURN credential is the real one. */
public final class IceExamples {

	private IceExamples() {
	}

	/** ICE servers as configured by these {@code confab.ice.*} values, minting credentials at {@code now}. */
	public static IceServers at(List<String> stunUrls, List<String> turnUrls, String secret, Duration lifetime, Instant now) {
		return new IceServers(new IceProperties(stunUrls, turnUrls, List.of(secret), lifetime), Clock.fixed(now, ZoneOffset.UTC));
	}
}
