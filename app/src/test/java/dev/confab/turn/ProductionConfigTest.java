package dev.confab.turn;

import java.io.IOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.confab.ice.TurnCredentials;
import dev.confab.ice.TurnCredentials.Credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production {@code coturn/turnserver.conf}, as shipped, against the real coturn (Debian's
 * 4.6.1): started on loopback with the loopback exception only, {@code turnutils_uclient}
 * cannot get a relay to denied peers (403), the admin CLI port is closed, and the rest of the
 * hardening holds.
 * <p>
 * What the test changes, all on the command line on top of the unmodified file (command-line
 * values win over the file's), and why:
 * <ul>
 * <li>{@code --listening-ip=127.0.0.1 --listening-ip=::1}: listen on loopback only instead of
 * every interface (the file has no listening-ip). ::1 is there for the IPv6 peers.</li>
 * <li>{@code --listening-port}, {@code --tls-listening-port}: free ports instead of 3478 and
 * 443, which a real server or the web server may hold.</li>
 * <li>{@code --cert}, {@code --pkey}: a throw-away self-signed certificate made by the test
 * instead of the production certificate paths, so the TLS listener really runs.</li>
 * <li>{@code --pidfile}: in the test's temporary folder.</li>
 * <li>{@code --static-auth-secret}: a random secret, since the file deliberately has none.</li>
 * </ul>
 * Nothing else: in particular no {@code allow-loopback-peers}, so 127.0.0.1 is a denied peer
 * here as in production. The static checks at the top run without coturn.
 */
class ProductionConfigTest {

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

	private static Live live;

	/** The running production coturn, started on first use (the static checks don't need it). */
	private record Live(Path work, Coturn coturn, int tlsPort, String secret) {
	}

	private static synchronized Live live() throws Exception {
		if (live == null) {
			TurnTools.Tools tools = TurnTools.requireOrSkip();
			if (!TurnTools.hasIpv6Loopback()) {
				TurnTools.unavailable("the production coturn test needs IPv6 loopback (::1) for the IPv6 peers");
			}
			Path work = Files.createTempDirectory("confab-coturn-production-");
			List<String> hosts = List.of("127.0.0.1", "::1");
			int port = TurnTools.freePort(hosts, Set.of());
			int tlsPort = TurnTools.freePort(hosts, Set.of(port));
			Path[] tls = selfSignedCertificate(work);
			String secret = TurnTools.randomSecret();
			List<String> arguments = List.of("-c", productionConfig().toString(), "--listening-ip=127.0.0.1",
					"--listening-ip=::1", "--listening-port=" + port, "--tls-listening-port=" + tlsPort,
					"--cert=" + tls[0], "--pkey=" + tls[1], "--pidfile=" + work.resolve("production.pid"),
					"--static-auth-secret=" + secret);
			live = new Live(work, Coturn.start(tools, "production", arguments, work, port), tlsPort, secret);
		}
		return live;
	}

	@AfterAll
	static synchronized void stopCoturn() {
		if (live != null) {
			live.coturn().close();
			Coturn.deleteRecursively(live.work());
			live = null;
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The file itself
	// ---------------------------------------------------------------------------------------------

	@Test
	void theFileCarriesNoSecretAndNoLoopbackException() throws IOException {
		Map<String, List<String>> options = options();

		// A secret here would be public, and coturn would accept it next to the real one.
		assertThat(options).doesNotContainKey("static-auth-secret");
		assertThat(options).doesNotContainKeys("allow-loopback-peers", "allowed-peer-ip", "server-relay",
				"cli-password", "web-admin", "no-auth", "lt-cred-mech", "user", "secure-stun", "verbose", "Verbose");
	}

	@Test
	void theFileHasTheHardeningOfTheNotes() throws IOException {
		Map<String, List<String>> options = options();

		assertThat(options).containsKeys("use-auth-secret", "realm", "no-cli", "no-multicast-peers", "fingerprint",
				"no-tlsv1", "no-tlsv1_1", "cipher-list", "cert", "pkey", "no-dtls", "no-tcp-relay",
				"no-software-attribute", "no-rfc5780", "no-stun-backward-compatibility",
				"response-origin-only-with-rfc5780", "no-dynamic-ip-list", "stale-nonce", "user-quota", "total-quota",
				"max-bps", "bps-capacity", "min-port", "max-port", "log-file", "simple-log", "pidfile");
		assertThat(options.get("listening-port")).containsExactly("3478");
		assertThat(options.get("tls-listening-port")).containsExactly("443");
		long bpsCapacity = Long.parseLong(single(options, "bps-capacity"));
		long maxBps = Long.parseLong(single(options, "max-bps"));
		int totalQuota = Integer.parseInt(single(options, "total-quota"));
		int relayPorts = Integer.parseInt(single(options, "max-port")) - Integer.parseInt(single(options, "min-port"))
				+ 1;
		assertThat((long) totalQuota).as("every admitted allocation can get max-bps").isLessThanOrEqualTo(bpsCapacity / maxBps);
		assertThat(relayPorts).as("a relay port for every allocation").isGreaterThan(totalQuota);
	}

	/**
	 * Each range must be understood by coturn 4.6.1 (no CIDR), and mean there what it means on
	 * paper: 4.6.1 treats an all-zero first address as "no lower bound" (so an IPv6 range from
	 * {@code ::} would contain every IPv4 address), an all-zero last one as "no upper bound", and
	 * compares IPv6 addresses byte by byte, which agrees with the numeric order only for ranges
	 * of the form {@code prefix + 00..00} to {@code prefix + ff..ff}.
	 */
	@Test
	void everyDeniedRangeIsOneCoturnReadsAsWritten() throws IOException {
		List<String> ranges = options().get("denied-peer-ip");
		assertThat(ranges).hasSizeGreaterThan(30);
		for (String range : ranges) {
			Range parsed = Range.parse(range);
			assertThat(compare(parsed.first(), parsed.last())).as("%s: first <= last", range).isLessThanOrEqualTo(0);
			assertThat(isZero(parsed.last())).as("%s ends at zero", range).isFalse();
			if (parsed.first().length == 16) {
				assertThat(isZero(parsed.first())).as("%s starts at :: (would contain every IPv4 peer)", range).isFalse();
			}
			assertThat(parsed.isPrefixShaped()).as("%s is prefix-shaped", range).isTrue();
		}
	}

	/**
	 * What the list (with coturn's own refusals: 0.0.0.0/8, ::, loopback, multicast) denies, in
	 * numeric order: every non-public address in every way it can be written, and no public one.
	 */
	@Test
	void theDeniedRangesCoverEveryFormOfNonPublicAddressesAndNoPublicOne() throws IOException {
		List<Range> ranges = options().get("denied-peer-ip").stream().map(Range::parse).toList();

		for (String address : concat(DENIED_IPV4, DENIED_IPV6, List.of("10.255.255.255", "172.31.255.255",
				"100.127.255.255", "::ffff:255.255.255.255", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2002::",
				"::0.0.0.2", "::0.0.1.0", "::0.1.0.0", "::1.0.0.0", "::ffff:0.0.0.0", "64:ff9b::ffff:ffff"))) {
			assertThat(deniedByModel(ranges, address)).as("%s denied", address).isTrue();
		}
		for (String address : PUBLIC) {
			assertThat(deniedByModel(ranges, address)).as("%s allowed", address).isFalse();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The running server
	// ---------------------------------------------------------------------------------------------

	@Test
	void coturnUnderstandsEveryDeniedRange() throws Exception {
		Coturn coturn = live().coturn();

		for (String range : options().get("denied-peer-ip")) {
			assertThat(coturn.hasLogLine("Black listing: " + range)).as("coturn logged 'Black listing: %s'", range)
				.isTrue();
		}
		assertThat(coturn.log()).doesNotContain("Wrong address format").doesNotContain("CONFIG ERROR");
	}

	static final List<String> DENIED_IPV4 = List.of("10.0.0.1", "172.16.0.1", "172.17.0.1", "192.168.1.1",
			"169.254.169.254", "100.64.0.1", "127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "192.0.0.1", "192.0.2.1",
			"192.88.99.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1",
			"255.255.255.255");

	static final List<String> DENIED_IPV6 = List.of("::1", "::", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
			"::ffff:169.254.169.254", "::ffff:192.168.1.1", "::ffff:100.64.0.1", "::ffff:0:10.0.0.1", "::127.0.0.1",
			"::10.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b::169.254.169.254", "64:ff9b:1::a00:1", "2002:a00:1::",
			"2002:7f00:1::", "2002:a9fe:a9fe::", "2001::1", "2001:2::1", "2001:20::1", "2001:db8::1", "3fff::1",
			"100::1", "5f00::1", "fc00::1", "fd00::2", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1");

	static final List<String> PUBLIC = List.of("1.1.1.1", "8.8.8.8", "9.9.9.9", "100.63.255.255", "100.128.0.0",
			"172.15.255.255", "172.32.0.0", "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::1",
			"2001:1::1", "2003::1");

	static List<String> deniedIpv4() {
		return DENIED_IPV4;
	}

	static List<String> deniedIpv6() {
		return DENIED_IPV6;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deniedIpv4")
	void noRelayToDeniedIpv4Peers(String peer) throws Exception {
		assertForbidden(peer);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deniedIpv6")
	void noRelayToDeniedIpv6Peers(String peer) throws Exception {
		assertForbidden(peer);
	}

	/**
	 * The control: public peers, IPv4 and IPv6, do get a relay and a channel (no data is sent:
	 * uclient {@code -n 0}), so the 403s above come from the denied ranges.
	 */
	@Test
	void publicPeersGetARelay() throws Exception {
		Live server = live();
		CompletableFuture<Coturn.Run> ipv6 = Coturn
			.inBackground(() -> channelTo(server, "2606:4700:4700::1111"));
		Coturn.Run ipv4 = channelTo(server, "1.1.1.1");

		for (Coturn.Run run : List.of(ipv4, ipv6.join())) {
			assertThat(run.exitCode()).as("%s", run).isZero();
			// 437 is uclient's own retry: under load its first allocate's answer came after its timer, and coturn
			// refused the second with a new transaction id for the same 5-tuple; uclient allocates again. Any
			// other 4xx (403 above all: the peer refused) fails.
			assertThat(run.output()).as("%s", run).doesNotContainPattern("error 4(?!37 )\\d\\d");
		}
	}

	@Test
	void tcpRelaysAreRefused() throws Exception {
		Live server = live();
		Credential credential = credential(server);

		Coturn.Run run = server.coturn()
			.uclient(List.of("-T", "-n", "0", "-e", "1.1.1.1", "-u", credential.username(), "-w",
					credential.password(), "-p", String.valueOf(server.coturn().port()), "127.0.0.1"),
					Duration.ofSeconds(20));

		assertThat(run.exitCode()).as("%s", run).isNotZero();
		assertThat(run.output()).as("%s", run).contains("error 442");
	}

	/** The admin CLI (telnet on 127.0.0.1:5766 by default) is not there, and coturn listens on nothing but its two ports. */
	@Test
	void theAdminCliPortIsClosed() throws Exception {
		Live server = live();

		for (String host : List.of("127.0.0.1", "::1")) {
			assertThatThrownBy(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(host, 5766), 2000);
				}
			}).as("connect to %s:5766", host).isInstanceOf(ConnectException.class);
		}
		assertThat(listeningTcpPorts(server.coturn().pid())).containsExactlyInAnyOrder(server.coturn().port(),
				server.tlsPort());
	}

	/**
	 * Browsers send STUN binding requests without credentials (no secure-stun), and the answer
	 * carries only XOR-MAPPED-ADDRESS and FINGERPRINT: no SOFTWARE (version), no MAPPED-ADDRESS
	 * (backward compatibility off), no RFC 5780 attributes. Classic RFC 3489 requests get no answer.
	 */
	@Test
	void stunBindingIsAnonymousAndMinimal() throws Exception {
		Live server = live();
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.coturn().port());

		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
			Stun.Response response = Stun.overUdp(socket, address, Stun.bindingRequest(), Duration.ofSeconds(2))
				.orElseThrow(() -> new AssertionError("no answer to a STUN binding request"));
			assertThat(response.type()).isEqualTo(Stun.BINDING_SUCCESS);
			assertThat(response.attributes().keySet()).containsExactly(Stun.XOR_MAPPED_ADDRESS, Stun.FINGERPRINT);
			assertThat(response.xorMappedAddress()).isEqualTo(socket.getLocalSocketAddress());

			Optional<Stun.Response> classic = Stun.overUdp(socket, address, Stun.classicBindingRequest(),
					Duration.ofMillis(800));
			assertThat(classic).as("answer to an RFC 3489 request").isEmpty();
		}
	}

	/**
	 * TURN over TLS on the TLS port: TLS 1.2 with a forward-secret AEAD suite from the cipher
	 * list, and a STUN request over it answered; a client offering only CBC suites is turned away.
	 */
	@Test
	void turnOverTlsUsesModernSuitesOnly() throws Exception {
		Live server = live();

		// A client offering TLS 1.3 and 1.2, as browsers do. coturn 4.6.1 answers with TLS 1.2: it
		// does not offer TLS 1.3 at all (a 1.3-only client gets handshake_failure, with or without
		// the cipher list).
		try (SSLSocket socket = tlsSocket(server, new String[] { "TLSv1.3", "TLSv1.2" }, null)) {
			socket.startHandshake();
			assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
			if ("TLSv1.2".equals(socket.getSession().getProtocol())) {
				assertThat(socket.getSession().getCipherSuite())
					.matches("TLS_ECDHE_(ECDSA|RSA)_WITH_.*(GCM|CHACHA20).*");
			}
			Stun.Response response = Stun.overStream(socket.getInputStream(), socket.getOutputStream(),
					Stun.bindingRequest());
			assertThat(response.type()).isEqualTo(Stun.BINDING_SUCCESS);
		}
		String[] cbc = Arrays.stream(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
			.filter(suite -> suite.contains("_CBC_") && suite.startsWith("TLS_ECDHE_"))
			.toArray(String[]::new);
		assertThat(cbc).isNotEmpty();
		assertThatThrownBy(() -> {
			try (SSLSocket socket = tlsSocket(server, new String[] { "TLSv1.2" }, cbc)) {
				socket.startHandshake();
			}
		}).isInstanceOf(IOException.class);
	}

	/** Deployed without any secret, coturn refuses every credential: it fails closed. */
	@Test
	void withoutASecretEveryCredentialIsRefused() throws Exception {
		Live server = live();
		int port = TurnTools.freePort(List.of("127.0.0.1"), Set.of(server.coturn().port(), server.tlsPort()));
		List<String> arguments = List.of("-c", productionConfig().toString(), "--listening-ip=127.0.0.1",
				"--listening-port=" + port, "--tls-listening-port=" + TurnTools.freePort(List.of("127.0.0.1"),
						Set.of(port, server.coturn().port(), server.tlsPort())),
				"--pidfile=" + server.work().resolve("no-secret.pid"));
		try (Coturn coturn = Coturn.start(TurnTools.requireOrSkip(), "no-secret", arguments, server.work(), port)) {
			Credential credential = new TurnCredentials(TurnTools.randomSecret(), Duration.ofMinutes(10))
				.mint(TurnTools.participantId(), Instant.now());

			Coturn.Run run = coturn.uclient(List.of("-c", "-n", "0", "-e", "1.1.1.1", "-u", credential.username(), "-w",
					credential.password(), "-p", String.valueOf(port), "127.0.0.1"), Duration.ofSeconds(20));

			assertThat(run.exitCode()).as("%s", run).isNotZero();
			assertThat(run.output()).as("%s", run).contains("Cannot complete Allocation");
			assertThat(coturn.awaitLogLine("Cannot find credentials of user <" + credential.username() + ">"))
				.as("coturn's log:%n%s", coturn.log())
				.isTrue();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Helpers
	// ---------------------------------------------------------------------------------------------

	private static void assertForbidden(String peer) throws Exception {
		Live server = live();

		Coturn.Run run = channelTo(server, peer);

		assertThat(run.exitCode()).as("%s", run).isNotZero();
		assertThat(run.timedOut()).as("%s", run).isFalse();
		assertThat(run.output()).as("%s", run).contains("error 403 (Forbidden IP)");
	}

	/** Each run its own participant: uclient leaves its allocations behind, and user-quota counts them. */
	private static Coturn.Run channelTo(Live server, String peer) {
		Credential credential = credential(server);
		return server.coturn().channelTo(peer, credential.username(), credential.password());
	}

	private static Credential credential(Live server) {
		return new TurnCredentials(server.secret(), Duration.ofMinutes(10)).mint(TurnTools.participantId(),
				Instant.now());
	}

	static Path productionConfig() {
		return TurnTools.coturnDir().resolve("turnserver.conf");
	}

	/** The active options of the production file: name to values, in order. */
	static Map<String, List<String>> options() throws IOException {
		Map<String, List<String>> options = new LinkedHashMap<>();
		for (String line : Files.readAllLines(productionConfig(), StandardCharsets.UTF_8)) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			int equals = trimmed.indexOf('=');
			String name = equals < 0 ? trimmed : trimmed.substring(0, equals).strip();
			String value = equals < 0 ? "" : trimmed.substring(equals + 1).strip();
			options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
		}
		return options;
	}

	private static String single(Map<String, List<String>> options, String name) {
		assertThat(options.get(name)).as(name).hasSize(1);
		return options.get(name).get(0);
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		List<String> all = new ArrayList<>();
		for (List<String> list : lists) {
			all.addAll(list);
		}
		return all;
	}

	/** A denied-peer-ip value: one address or {@code first-last}, as bytes (4 or 16). */
	record Range(String text, byte[] first, byte[] last) {

		static Range parse(String text) {
			String[] parts = text.split("-", -1);
			assertThat(parts.length).as("%s: an address or first-last (no CIDR)", text).isBetween(1, 2);
			byte[] first = address(parts[0]);
			byte[] last = parts.length == 2 ? address(parts[1]) : first;
			assertThat(first.length).as("%s: both ends of one family", text).isEqualTo(last.length);
			return new Range(text, first, last);
		}

		boolean contains(byte[] address) {
			return address.length == this.first.length && compare(this.first, address) <= 0
					&& compare(address, this.last) <= 0;
		}

		/** first = prefix + 00..00 and last = prefix + ff..ff after the first byte where they differ. */
		boolean isPrefixShaped() {
			int k = 0;
			while (k < this.first.length && this.first[k] == this.last[k]) {
				k++;
			}
			for (int i = k + 1; i < this.first.length; i++) {
				if (this.first[i] != 0 || this.last[i] != (byte) 0xff) {
					return false;
				}
			}
			return true;
		}
	}

	/** An IP literal as 4 or 16 bytes; IPv6 forms stay 16 bytes (Java turns ::ffff:a.b.c.d into IPv4). */
	static byte[] address(String literal) {
		assertThat(literal).as("an IP literal, never a host name").matches(IP_LITERAL);
		try {
			InetAddress address = InetAddress.getByName(literal);
			byte[] bytes = address.getAddress();
			if (literal.contains(":") && address instanceof Inet4Address) {
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xff;
				mapped[11] = (byte) 0xff;
				System.arraycopy(bytes, 0, mapped, 12, 4);
				return mapped;
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new AssertionError("not an IP literal: " + literal, ex);
		}
	}

	static int compare(byte[] a, byte[] b) {
		return Arrays.compareUnsigned(a, b);
	}

	static boolean isZero(byte[] address) {
		for (byte b : address) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	/** coturn's own refusals (zero, loopback, multicast with no-multicast-peers) plus the denied ranges. */
	static boolean deniedByModel(List<Range> ranges, String literal) {
		byte[] address = address(literal);
		boolean builtIn;
		if (address.length == 4) {
			int first = address[0] & 0xff;
			builtIn = first == 0 || first == 127 || first > 223;
		}
		else {
			byte[] loopback = new byte[16];
			loopback[15] = 1;
			builtIn = isZero(address) || Arrays.equals(address, loopback) || (address[0] & 0xff) == 0xff;
		}
		return builtIn || ranges.stream().anyMatch(range -> range.contains(address));
	}

	/** TCP ports the process listens on (from /proc: its socket inodes in LISTEN state). */
	static Set<Integer> listeningTcpPorts(long pid) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
			for (Path fd : fds.toList()) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			}
		}
		Set<Integer> ports = new HashSet<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(table);
			if (!Files.exists(path)) {
				continue;
			}
			List<String> lines = Files.readAllLines(path);
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.strip().split("\\s+");
				if (fields.length > 9 && "0A".equals(fields[3]) && inodes.contains(fields[9])) {
					String local = fields[1];
					ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
				}
			}
		}
		return ports;
	}

	private static SSLSocket tlsSocket(Live server, String[] protocols, String[] suites) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { new TrustAll() }, new SecureRandom());
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
		socket.connect(new InetSocketAddress("127.0.0.1", server.tlsPort()), 2000);
		socket.setSoTimeout(5000);
		socket.setEnabledProtocols(protocols);
		if (suites != null) {
			socket.setEnabledCipherSuites(suites);
		}
		return socket;
	}

	/** The test's own throw-away certificate: trusted blindly (what is tested is the server's TLS settings). */
	private static final class TrustAll implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}
	}

	/**
	 * A self-signed P-256 certificate for 127.0.0.1 made with the JDK's keytool, written as the
	 * PEM certificate and PKCS#8 key that coturn reads. Returns {certificate, key}.
	 */
	private static Path[] selfSignedCertificate(Path work) throws Exception {
		Path keystore = work.resolve("tls.p12");
		String password = TurnTools.randomSecret();
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "turn", "-keyalg", "EC",
				"-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext",
				"SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
				"-storepass", password, "-keypass", password)
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("keytool.log").toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new AssertionError("keytool failed: " + Files.readString(work.resolve("keytool.log")));
		}
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = Files.newInputStream(keystore)) {
			store.load(in, password.toCharArray());
		}
		PrivateKey key = (PrivateKey) store.getKey("turn", password.toCharArray());
		Certificate certificate = store.getCertificate("turn");
		Path certificateFile = work.resolve("cert.pem");
		Path keyFile = work.resolve("key.pem");
		writePem(certificateFile, "CERTIFICATE", certificate.getEncoded());
		writePem(keyFile, "PRIVATE KEY", key.getEncoded());
		return new Path[] { certificateFile, keyFile };
	}

	private static void writePem(Path file, String type, byte[] der) throws IOException {
		try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
			writer.write("-----BEGIN " + type + "-----\n");
			writer.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der));
			writer.write("\n-----END " + type + "-----\n");
		}
	}

}
