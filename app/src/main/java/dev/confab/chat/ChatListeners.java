package dev.confab.chat;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.confab.call.CallEntered;

/** Keeps the chat in step with the call: whoever enters it gets the room's history. */
@Component
class ChatListeners {

	private final ChatService chat;

	ChatListeners(ChatService chat) {
		this.chat = chat;
	}

	/** After a join's sequence or a resume's {@code resumed}, to that participant only. */
	@EventListener
	void entered(CallEntered entered) {
		this.chat.sendHistory(entered.participant());
	}
}
