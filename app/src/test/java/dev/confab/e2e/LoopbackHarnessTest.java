package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves the browser harness on its own, without the app: a loopback-only namespace, the
 * bridges, chromedriver, and WebRTC between fake cameras over host candidates on 127.0.0.1.
 * The page comes from a JDK HTTP server on the host's 127.0.0.1, reached through the bridge.
 */
class LoopbackHarnessTest {

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers();

	private static HttpServer server;

	private static String pageUrl;

	@BeforeAll
	static void servePage() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", LoopbackHarnessTest::handle);
		server.start();
		int port = server.getAddress().getPort();
		browsers.exposeHostPort(port);
		pageUrl = "http://localhost:" + port + "/loopback.html";
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.stop(0);
		}
	}

	@Test
	void namespaceHoldsOnlyLoopback() {
		assertThat(browsers.network().interfaces()).containsExactly("lo");
		assertThat(browsers.network().addresses()).containsExactly("127.0.0.1/8");
	}

	@Test
	void pageIsASecureContextOnLocalhost() {
		Browser solo = browsers.open("solo").open(pageUrl);
		Map<String, Object> page = solo.callForMap(
				"return { origin: location.origin, secure: window.isSecureContext, title: document.title };");
		assertThat(page).containsEntry("origin", pageUrl.replace("/loopback.html", ""))
			.containsEntry("secure", true)
			.containsEntry("title", "confab loopback");
	}

	@Test
	void twoPeerConnectionsInOneBrowserConnectOverLoopback() {
		Browser solo = browsers.open("solo").open(pageUrl);
		solo.call("await e2e.localPair(); return true;");

		Map<String, Object> state = solo.awaitScript("both peer connections connected, host/host on 127.0.0.1, "
				+ "remote video frames decoded and growing", Duration.ofSeconds(30), """
				const a1 = await e2e.describe(window.pcA, null);
				const b1 = await e2e.describe(window.pcB, document.getElementById('remote'));
				await e2e.sleep(1100);
				const a2 = await e2e.describe(window.pcA, null);
				const b2 = await e2e.describe(window.pcB, document.getElementById('remote'));
				const ok = e2e.loopbackHostPair(a2) && e2e.loopbackHostPair(b2)
				  && b2.framesDecoded > b1.framesDecoded && b1.framesDecoded > 0 && b2.videoWidth > 0
				  && a2.framesDecoded > a1.framesDecoded;
				return { ok, a: a2, b: b2, bFramesBefore: b1.framesDecoded, aFramesBefore: a1.framesDecoded };
				""");
		assertPair(state.get("a"));
		assertPair(state.get("b"));
	}

	@Test
	void twoBrowsersConnectWithSignalsRelayedByTheTest() {
		Browser ada = browsers.open("ada").open(pageUrl);
		Browser bob = browsers.open("bob").open(pageUrl);

		// Non-trickle: each side waits for ICE gathering to finish, so one offer and one
		// answer carry every candidate; the test is the signaling channel.
		Map<String, Object> offer = ada.callForMap("return await e2e.offer();");
		Map<String, Object> answer = bob.callForMap("return await e2e.answer(args[0]);", offer);
		ada.call("await e2e.accept(args[0]); return true;", answer);

		assertThat(candidateAddresses(offer)).as("ada's candidates").isNotEmpty().containsOnly("127.0.0.1");
		assertThat(candidateAddresses(answer)).as("bob's candidates").isNotEmpty().containsOnly("127.0.0.1");

		for (Browser browser : List.of(ada, bob)) {
			Map<String, Object> state = browser.awaitScript("connected to the other browser, host/host on 127.0.0.1, "
					+ "its video decoded and growing", Duration.ofSeconds(30), """
					const video = document.getElementById('remote');
					const s1 = await e2e.describe(window.pc, video);
					await e2e.sleep(1100);
					const s2 = await e2e.describe(window.pc, video);
					const ok = e2e.loopbackHostPair(s2) && s1.framesDecoded > 0
					  && s2.framesDecoded > s1.framesDecoded && s2.videoWidth > 0 && s2.audioBytesReceived > 0;
					return { ok, state: s2, framesBefore: s1.framesDecoded };
					""");
			assertPair(state.get("state"));
		}
	}

	@SuppressWarnings("unchecked")
	private static void assertPair(Object described) {
		Map<String, Object> s = (Map<String, Object>) described;
		assertThat(s).containsEntry("connectionState", "connected")
			.containsEntry("localType", "host")
			.containsEntry("remoteType", "host")
			.containsEntry("localAddress", "127.0.0.1")
			.containsEntry("remoteAddress", "127.0.0.1");
	}

	private static final Pattern CANDIDATE = Pattern.compile("a=candidate:\\S+ \\d+ \\S+ \\d+ (\\S+) \\d+ typ (\\S+)");

	private static List<String> candidateAddresses(Map<String, Object> description) {
		List<String> addresses = new ArrayList<>();
		Matcher m = CANDIDATE.matcher(String.valueOf(description.get("sdp")));
		while (m.find()) {
			addresses.add(m.group(1));
		}
		return addresses;
	}

	private static void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!exchange.getRequestURI().getPath().equals("/loopback.html")) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private static final String PAGE = """
			<!doctype html>
			<html><head><meta charset="utf-8"><title>confab loopback</title></head>
			<body>
			<video id="local" autoplay muted playsinline width="160"></video>
			<video id="remote" autoplay muted playsinline width="320"></video>
			<script>
			'use strict';
			window.e2e = {
			  sleep(ms) { return new Promise(resolve => setTimeout(resolve, ms)); },

			  async camera() {
			    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
			    document.getElementById('local').srcObject = stream;
			    return stream;
			  },

			  showRemote(pc) {
			    pc.ontrack = event => {
			      const video = document.getElementById('remote');
			      if (video.srcObject !== event.streams[0]) { video.srcObject = event.streams[0]; }
			    };
			  },

			  async gathered(pc) {
			    if (pc.iceGatheringState === 'complete') { return; }
			    await new Promise(resolve => {
			      pc.addEventListener('icegatheringstatechange', () => {
			        if (pc.iceGatheringState === 'complete') { resolve(); }
			      });
			    });
			  },

			  // Two peer connections in this page, both sending the fake camera, trickling directly.
			  async localPair() {
			    const stream = await e2e.camera();
			    const a = new RTCPeerConnection(), b = new RTCPeerConnection();
			    window.pcA = a; window.pcB = b;
			    a.onicecandidate = e => { if (e.candidate) { b.addIceCandidate(e.candidate); } };
			    b.onicecandidate = e => { if (e.candidate) { a.addIceCandidate(e.candidate); } };
			    e2e.showRemote(b);
			    for (const track of stream.getTracks()) { a.addTrack(track, stream); b.addTrack(track, stream); }
			    await a.setLocalDescription();
			    await b.setRemoteDescription(a.localDescription);
			    await b.setLocalDescription();
			    await a.setRemoteDescription(b.localDescription);
			  },

			  async offer() {
			    const stream = await e2e.camera();
			    const pc = window.pc = new RTCPeerConnection();
			    e2e.showRemote(pc);
			    for (const track of stream.getTracks()) { pc.addTrack(track, stream); }
			    await pc.setLocalDescription();
			    await e2e.gathered(pc);
			    return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
			  },

			  async answer(offer) {
			    const stream = await e2e.camera();
			    const pc = window.pc = new RTCPeerConnection();
			    e2e.showRemote(pc);
			    for (const track of stream.getTracks()) { pc.addTrack(track, stream); }
			    await pc.setRemoteDescription(offer);
			    await pc.setLocalDescription();
			    await e2e.gathered(pc);
			    return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
			  },

			  async accept(answer) { await window.pc.setRemoteDescription(answer); },

			  // connectionState, selected candidate pair and inbound media of one peer connection.
			  async describe(pc, video) {
			    const stats = await pc.getStats();
			    let transport = null, video_in = null, audio_in = null;
			    stats.forEach(r => {
			      if (r.type === 'transport' && r.selectedCandidatePairId) { transport = r; }
			      if (r.type === 'inbound-rtp' && r.kind === 'video') { video_in = r; }
			      if (r.type === 'inbound-rtp' && r.kind === 'audio') { audio_in = r; }
			    });
			    const pair = transport ? stats.get(transport.selectedCandidatePairId) : null;
			    const local = pair ? stats.get(pair.localCandidateId) : null;
			    const remote = pair ? stats.get(pair.remoteCandidateId) : null;
			    return {
			      connectionState: pc.connectionState,
			      iceConnectionState: pc.iceConnectionState,
			      localType: local ? local.candidateType : null,
			      localAddress: local ? (local.address || local.ip) : null,
			      remoteType: remote ? remote.candidateType : null,
			      remoteAddress: remote ? (remote.address || remote.ip) : null,
			      framesDecoded: video_in ? (video_in.framesDecoded || 0) : 0,
			      audioBytesReceived: audio_in ? (audio_in.bytesReceived || 0) : 0,
			      videoWidth: video ? video.videoWidth : null
			    };
			  },

			  loopbackHostPair(s) {
			    return s.connectionState === 'connected' && s.localType === 'host' && s.remoteType === 'host'
			      && s.localAddress === '127.0.0.1' && s.remoteAddress === '127.0.0.1';
			  }
			};
			</script>
			</body></html>
			""";

}
