package dev.confab.call;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.cluster.ControlMessagesMissed;
import dev.confab.cluster.InstanceBus;
import dev.confab.cluster.RoomCallNews;
import dev.confab.cluster.RoomCallNewsReceived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The routes signals take: kept from each change, told between instances, read from the database only when unknown. */
class CallRoutesTest {

	private final PresenceRepository presence = mock(PresenceRepository.class);

	private final List<String> told = new ArrayList<>();

	private final CallRoutes routes = new CallRoutes(this.presence, new RoomCallNews(recordingBus()), new JsonMapper());

	@Test
	void aChangeMadeHereRoutesWithoutTheDatabase() {
		this.routes.changed("room", call(4, participant("p1", "s1", false), participant("p2", "s2", true)));

		CallRoutes.RoomRoutes room = this.routes.of("room").block();

		assertThat(room.version()).isEqualTo(4);
		assertThat(room.participants().get("p1")).isEqualTo(new CallRoutes.Route("s1", "user-p1", false));
		assertThat(room.participants().get("p2").away()).isTrue();
		verifyNoInteractions(this.presence);
	}

	@Test
	void newsFromAnotherInstanceReplacesAnOlderCopyOnly() {
		this.routes.changed("room", call(4, participant("p1", "s1", false)));
		String version4 = this.told.get(0);
		CallRoutes other = new CallRoutes(this.presence, new RoomCallNews(recordingBus()), new JsonMapper());
		other.changed("room", call(6, participant("p1", "s9", false)));
		String version6 = this.told.get(1);

		this.routes.told(new RoomCallNewsReceived(version6));
		this.routes.told(new RoomCallNewsReceived(version4));

		assertThat(this.routes.of("room").block().participants().get("p1").sessionId()).isEqualTo("s9");
	}

	@Test
	void newsThatDoesNotParseIsIgnored() {
		this.routes.changed("room", call(4, participant("p1", "s1", false)));

		this.routes.told(new RoomCallNewsReceived("{\"room\":null}"));
		this.routes.told(new RoomCallNewsReceived("not json"));

		assertThat(this.routes.of("room").block().version()).isEqualTo(4);
	}

	@Test
	void anUnknownRoomIsReadOnceForABurstOfSignals() {
		Sinks.One<Long> version = Sinks.one();
		when(this.presence.version("room")).thenReturn(version.asMono());
		when(this.presence.inRoom("room")).thenReturn(Flux.just(participant("p1", "s1", false)));

		List<Mono<CallRoutes.RoomRoutes>> burst = List.of(this.routes.of("room"), this.routes.of("room"), this.routes.of("room"));
		burst.forEach(Mono::subscribe);
		version.tryEmitValue(7L);

		assertThat(burst.get(2).block().participants()).containsKey("p1");
		assertThat(this.routes.of("room").block().version()).isEqualTo(7);
		verify(this.presence, times(1)).version("room");
	}

	@Test
	void missedControlMessagesMakeEveryCopyReadAgain() {
		this.routes.changed("room", call(4, participant("p1", "s1", false)));
		when(this.presence.version(anyString())).thenReturn(Mono.just(9L));
		when(this.presence.inRoom("room")).thenReturn(Flux.just(participant("p1", "s2", false)));

		this.routes.missed(new ControlMessagesMissed());

		assertThat(this.routes.of("room").block().participants().get("p1").sessionId()).isEqualTo("s2");
	}

	@Test
	void aForgottenCopyIsReadAgain() {
		this.routes.changed("room", call(4, participant("p1", "s1", false)));
		when(this.presence.version("room")).thenReturn(Mono.just(5L));
		when(this.presence.inRoom("room")).thenReturn(Flux.just(participant("p1", "s1", false), participant("p3", "s3", false)));

		this.routes.forget("room");

		assertThat(this.routes.of("room").block().participants()).containsKeys("p1", "p3");
	}

	private static PresenceRepository.CallNow call(long version, Participant... participants) {
		return new PresenceRepository.CallNow(version, List.of(participants), null);
	}

	private static Participant participant(String id, String sessionId, boolean away) {
		return new Participant(id, "room", sessionId, "user-" + id, "screen-" + id, 0, away, null);
	}

	private InstanceBus recordingBus() {
		return new InstanceBus() {

			@Override
			public boolean sharedWithOthers() {
				return true;
			}

			@Override
			public boolean toEveryInstance(String message) {
				CallRoutesTest.this.told.add(message.substring("room-call:".length()));
				return true;
			}
		};
	}
}
