package dev.confab.chat;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long chat messages may be, how many a room keeps, and how fast one participant may send.
 *
 * @param maxLength         code points of one message, after stripping; at most 4000 because the
 *                          column holds 8000 UTF-16 units (H2 counts those) and a code point takes two at most
 * @param history           messages kept per room, and sent to a page when it joins or resumes
 * @param messagesPerMinute messages one participant may send in any minute; more are not stored,
 *                          and the sender is told to slow down
 */
@Validated
@ConfigurationProperties(prefix = "confab.chat")
public record ChatProperties(
		@DefaultValue("2000") @Min(1) @Max(4000) int maxLength,
		@DefaultValue("200") @Min(1) @Max(10000) int history,
		@DefaultValue("20") @Min(1) int messagesPerMinute) {
}
