package dev.confab.turn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Just enough STUN (RFC 5389) to send an anonymous Binding request, as a browser does for a
 * {@code stun:} URL, and read the answer. Used to see that coturn is up and what its binding
 * responses carry.
 */
final class Stun {

	static final int MAGIC_COOKIE = 0x2112A442;

	static final int BINDING_REQUEST = 0x0001;

	static final int BINDING_SUCCESS = 0x0101;

	static final int MAPPED_ADDRESS = 0x0001;

	static final int XOR_MAPPED_ADDRESS = 0x0020;

	static final int SOFTWARE = 0x8022;

	static final int FINGERPRINT = 0x8028;

	static final int RESPONSE_ORIGIN = 0x802B;

	static final int OTHER_ADDRESS = 0x802C;

	private static final SecureRandom RANDOM = new SecureRandom();

	private Stun() {
	}

	/** A decoded response: message type and attributes by type (in order). */
	record Response(int type, Map<Integer, byte[]> attributes) {

		/** XOR-MAPPED-ADDRESS as an IPv4 socket address. */
		InetSocketAddress xorMappedAddress() {
			byte[] value = this.attributes.get(XOR_MAPPED_ADDRESS);
			if (value == null || value[1] != 0x01) {
				throw new IllegalStateException("No IPv4 XOR-MAPPED-ADDRESS in " + this);
			}
			int port = ((value[2] & 0xff) << 8 | (value[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
			byte[] address = new byte[4];
			byte[] cookie = ByteBuffer.allocate(4).putInt(MAGIC_COOKIE).array();
			for (int i = 0; i < 4; i++) {
				address[i] = (byte) (value[4 + i] ^ cookie[i]);
			}
			try {
				return new InetSocketAddress(InetAddress.getByAddress(address), port);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder("Response[type=0x").append(Integer.toHexString(this.type))
				.append(", attributes=");
			this.attributes.keySet().forEach(type -> text.append(" 0x").append(Integer.toHexString(type)));
			return text.append(']').toString();
		}
	}

	/** An RFC 5389 Binding request (magic cookie) with a FINGERPRINT, as browsers send it. */
	static byte[] bindingRequest() {
		byte[] transactionId = new byte[12];
		RANDOM.nextBytes(transactionId);
		ByteBuffer message = ByteBuffer.allocate(20 + 8);
		message.putShort((short) BINDING_REQUEST).putShort((short) 8).putInt(MAGIC_COOKIE).put(transactionId);
		CRC32 crc = new CRC32();
		crc.update(message.array(), 0, 20);
		message.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) (crc.getValue() ^ 0x5354554EL));
		return message.array();
	}

	/** A classic RFC 3489 Binding request: no magic cookie, 16-byte transaction id. */
	static byte[] classicBindingRequest() {
		byte[] transactionId = new byte[16];
		RANDOM.nextBytes(transactionId);
		transactionId[0] = 0x00; // make sure the first 4 bytes are not the magic cookie
		return ByteBuffer.allocate(20).putShort((short) BINDING_REQUEST).putShort((short) 0).put(transactionId).array();
	}

	/** Sends the request over UDP; the answer, or empty if none came within the timeout. */
	static Optional<Response> overUdp(DatagramSocket socket, InetSocketAddress server, byte[] request, Duration timeout)
			throws IOException {
		socket.setSoTimeout((int) timeout.toMillis());
		socket.send(new DatagramPacket(request, request.length, server));
		byte[] buffer = new byte[2048];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		try {
			socket.receive(packet);
		}
		catch (SocketTimeoutException ex) {
			return Optional.empty();
		}
		return Optional.of(parse(Arrays.copyOf(buffer, packet.getLength()), request));
	}

	/** Sends the request over a stream (TCP or TLS) and reads one framed answer. */
	static Response overStream(InputStream in, OutputStream out, byte[] request) throws IOException {
		out.write(request);
		out.flush();
		DataInputStream data = new DataInputStream(in);
		byte[] header = new byte[20];
		data.readFully(header);
		int length = (header[2] & 0xff) << 8 | (header[3] & 0xff);
		byte[] message = Arrays.copyOf(header, 20 + length);
		data.readFully(message, 20, length);
		return parse(message, request);
	}

	static Response parse(byte[] message, byte[] request) {
		ByteBuffer buffer = ByteBuffer.wrap(message);
		int type = buffer.getShort() & 0xffff;
		int length = buffer.getShort() & 0xffff;
		int cookie = buffer.getInt();
		byte[] transactionId = new byte[12];
		buffer.get(transactionId);
		if (cookie != MAGIC_COOKIE || !Arrays.equals(transactionId, Arrays.copyOfRange(request, 8, 20))
				|| length != message.length - 20) {
			throw new IllegalStateException("Not an answer to our request: " + Arrays.toString(message));
		}
		Map<Integer, byte[]> attributes = new LinkedHashMap<>();
		while (buffer.remaining() >= 4) {
			int attributeType = buffer.getShort() & 0xffff;
			int attributeLength = buffer.getShort() & 0xffff;
			byte[] value = new byte[attributeLength];
			buffer.get(value);
			buffer.position(buffer.position() + (4 - attributeLength % 4) % 4);
			attributes.put(attributeType, value);
		}
		return new Response(type, attributes);
	}

}
