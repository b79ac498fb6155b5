package dev.confab.ice;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The {@code RTCIceServer}s for one participant: the STUN URLs, and the TURN URLs with a
 * credential minted for that participant alone, so a leaked one is traceable and expires soon.
 */
@Component
public class IceServers {

	private final IceProperties properties;

	private final TurnCredentials credentials;

	private final Clock clock;

	@Autowired
	IceServers(IceProperties properties) {
		this(properties, Clock.systemUTC());
	}

	IceServers(IceProperties properties, Clock clock) {
		this.properties = properties;
		this.credentials = properties.hasTurn()
				? new TurnCredentials(properties.turnSecrets().get(0), properties.credentialLifetime()) : null;
		this.clock = clock;
	}

	public boolean hasTurn() {
		return this.credentials != null;
	}

	/**
	 * @param participantId the participant the TURN credential is for (it names it)
	 * @param relayOnly     the room allows TURN relays only
	 */
	public Offer forParticipant(String participantId, boolean relayOnly) {
		List<Map<String, Object>> servers = new ArrayList<>();
		if (!this.properties.stunUrls().isEmpty()) {
			servers.add(Map.of("urls", this.properties.stunUrls()));
		}
		Duration refreshIn = null;
		if (this.credentials != null) {
			TurnCredentials.Credential credential = this.credentials.mint(participantId, this.clock.instant());
			Map<String, Object> turn = new LinkedHashMap<>();
			turn.put("urls", this.properties.turnUrls());
			turn.put("username", credential.username());
			turn.put("credential", credential.password());
			servers.add(turn);
			refreshIn = this.properties.credentialLifetime().multipliedBy(3).dividedBy(4);
		}
		return new Offer(List.copyOf(servers), relayOnly ? "relay" : "all", refreshIn);
	}

	/**
	 * What a participant's peer connections use.
	 *
	 * @param iceServers         RTCIceServer dictionaries
	 * @param iceTransportPolicy {@code relay} in a relay-only room, else {@code all}
	 * @param refreshIn          when to ask for a new credential; null without TURN
	 */
	public record Offer(List<Map<String, Object>> iceServers, String iceTransportPolicy, Duration refreshIn) {

		/** The event fields, as the {@code connect} and {@code ice} events carry them. */
		public Map<String, Object> fields() {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("iceServers", this.iceServers);
			fields.put("iceTransportPolicy", this.iceTransportPolicy);
			if (this.refreshIn != null) {
				fields.put("iceRefreshIn", this.refreshIn.toMillis());
			}
			return fields;
		}

		/** Never prints the credentials. */
		@Override
		public String toString() {
			return "Offer[servers=" + this.iceServers.size() + ", policy=" + this.iceTransportPolicy + "]";
		}
	}
}
