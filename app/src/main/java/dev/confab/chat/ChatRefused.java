package dev.confab.chat;

/** A chat request that breaks the protocol: the client gets an ERROR frame with this message and is closed. */
class ChatRefused extends RuntimeException {

	ChatRefused(String message) {
		super(message, null, false, false);
	}
}
