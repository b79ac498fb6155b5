package dev.confab.bench.join;

import java.util.List;

import dev.confab.bench.Options;
import dev.confab.bench.call.Signalling;
import dev.confab.bench.lab.Side;

/**
 * @param modes        Confab modes to measure
 * @param rooms        rooms in which a 6th participant joins again and again (in parallel); 0: the storm only
 * @param joins        joins per room
 * @param stormRooms   rooms of six whose participants all join at once
 * @param offerBytes   SDP size of an offer (a browser's audio + video + data channel: about 5 KB)
 * @param answerBytes  SDP size of an answer
 * @param candidates   ICE candidates each side trickles, then the end of candidates
 */
public record JoinSettings(List<Side> modes, int rooms, int joins, int stormRooms, int offerBytes, int answerBytes,
		int candidates) {

	public static JoinSettings from(Options options) {
		List<Side> modes = Side.parse(options.strings("modes", "embedded,relay,stomp-relay"));
		if (modes.contains(Side.WEBSTOMP)) {
			throw new IllegalArgumentException("--modes takes embedded, relay and stomp-relay");
		}
		return new JoinSettings(modes, options.integer("rooms", 4), options.integer("joins", 15),
				options.integer("storm-rooms", 20), options.integer("offer-bytes", 5000),
				options.integer("answer-bytes", 3500), options.integer("candidates", 5));
	}

	Signalling signalling() {
		return new Signalling(this.offerBytes, this.answerBytes, this.candidates);
	}
}
