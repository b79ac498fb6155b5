package dev.confab.room;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Room housekeeping.
 *
 * @param emptyRetention how long a room nobody has joined or left is kept once it is empty;
 *                       its shareable URL answers 404 afterwards
 * @param cleanupInterval how often each instance looks for such rooms
 */
@Validated
@ConfigurationProperties(prefix = "confab.rooms")
record RoomProperties(
		@DefaultValue("7d") @NotNull Duration emptyRetention,
		@DefaultValue("1m") @NotNull Duration cleanupInterval) {
}
