package dev.confab.bench.call;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Signal bodies of browser size: session descriptions shaped like a browser's audio + video +
 * data-channel offer (a few KB) and ICE candidates, already JSON-escaped for a signal's body.
 */
public final class Sdp {

	private static final String HEAD = String.join("\r\n",
			"v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1 2",
			"a=extmap-allow-mixed", "a=msid-semantic: WMS bench",
			"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
			"a=ice-ufrag:Fq4u", "a=ice-pwd:by4GZGG1lw+040DWA6hXM5Bz", "a=ice-options:trickle",
			"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
			"a=mid:0", "a=sendrecv", "a=msid:bench 6b3f6b4e-audio", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
			"a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
			"m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125", "c=IN IP4 0.0.0.0",
			"a=mid:1", "a=sendrecv", "a=msid:bench 6b3f6b4e-video", "a=rtcp-mux", "a=rtcp-rsize") + "\r\n";

	private static final String TAIL = String.join("\r\n", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
			"c=IN IP4 0.0.0.0", "a=mid:2", "a=sctp-port:5000", "a=max-message-size:262144") + "\r\n";

	private Sdp() {
	}

	/** {"type":"offer"|"answer","sdp":"..."} of about {@code bytes} characters of SDP. */
	public static String description(String type, int bytes) {
		StringBuilder sdp = new StringBuilder(bytes + 256).append(HEAD);
		for (int pt = 96; sdp.length() + TAIL.length() < bytes; pt = pt == 127 ? 96 : pt + 1) {
			sdp.append("a=rtpmap:").append(pt).append(" VP8/90000\r\n").append("a=rtcp-fb:").append(pt)
				.append(" goog-remb\r\n").append("a=fmtp:").append(pt).append(" level-asymmetry-allowed=1;packetization-mode=1\r\n");
		}
		sdp.append(TAIL);
		return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp.toString().replace("\r", "\\r").replace("\n", "\\n") + "\"}";
	}

	/** A server-reflexive candidate of the first m-line, as a browser trickles it. */
	public static String candidate(int n) {
		int port = 40000 + ThreadLocalRandom.current().nextInt(20000);
		return "{\"candidate\":\"candidate:842163049 1 udp 1677729535 198.51.100." + (n % 250 + 1) + " " + port
				+ " typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Fq4u network-id 1 network-cost 10\",\"sdpMid\":\"0\","
				+ "\"sdpMLineIndex\":0,\"usernameFragment\":\"Fq4u\"}";
	}
}
