package dev.confab.bench.call;

/**
 * What a simulated browser sends to each peer it negotiates with: one description and a number
 * of ICE candidates, then the end of candidates. The texts are made once and reused.
 */
public final class Signalling {

	private final String offer;

	private final String answer;

	private final String[] candidates;

	public Signalling(int offerBytes, int answerBytes, int candidates) {
		this.offer = Sdp.description("offer", offerBytes);
		this.answer = Sdp.description("answer", answerBytes);
		this.candidates = new String[candidates];
		for (int i = 0; i < candidates; i++) {
			this.candidates[i] = Sdp.candidate(i);
		}
	}

	/** The signal bodies for one peer: the description, each candidate, then {@code "candidate": null}. */
	String[] bodies(String to, boolean offering) {
		String[] bodies = new String[this.candidates.length + 2];
		bodies[0] = "{\"to\":\"" + to + "\",\"description\":" + (offering ? this.offer : this.answer) + "}";
		for (int i = 0; i < this.candidates.length; i++) {
			bodies[i + 1] = "{\"to\":\"" + to + "\",\"candidate\":" + this.candidates[i] + "}";
		}
		bodies[bodies.length - 1] = "{\"to\":\"" + to + "\",\"candidate\":null}";
		return bodies;
	}
}
