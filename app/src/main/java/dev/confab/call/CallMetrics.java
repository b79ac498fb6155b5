package dev.confab.call;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The call's meters: participants and rooms on this instance, joins and resumes by outcome, and
 * how long a join's sequence and a signal's relay take. The only tag is the outcome: a room, user
 * or session as a tag would be a new Prometheus series for each.
 */
@Component
class CallMetrics {

	private final MeterRegistry registry;

	private final Counter joined;

	private final Counter joinRefused;

	private final Counter resumed;

	private final Counter resumeRefused;

	private final Timer joinDuration;

	private final Timer signalDuration;

	CallMetrics(MeterRegistry registry, LocalMembership membership) {
		this.registry = registry;
		Gauge.builder("confab.call.participants", membership, LocalMembership::participants)
			.description("Participants in calls whose session is on this instance")
			.register(registry);
		Gauge.builder("confab.call.rooms", membership, LocalMembership::rooms)
			.description("Rooms whose call has a participant on this instance")
			.register(registry);
		String joins = "Joins: ok entered the call; refused did not (the room's rules, the waiting room, the join rate, a bad request or a failure)";
		this.joined = outcome("confab.call.joins", "ok", joins);
		this.joinRefused = outcome("confab.call.joins", "refused", joins);
		String resumes = "Resumes: ok continued the participant; refused got an ERROR (unknown, wrong secret, grace over, the join rate)";
		this.resumed = outcome("confab.call.resumes", "ok", resumes);
		this.resumeRefused = outcome("confab.call.resumes", "refused", resumes);
		this.joinDuration = latency("confab.call.join.duration",
				"From handling a join to its sequence sent (tiles, connect, others, roster), joins that entered only",
				Duration.ofSeconds(30));
		this.signalDuration = latency("confab.call.signal.duration",
				"From handling a signal to its relay to the recipient (or its drop: the recipient left or is away)",
				Duration.ofSeconds(10));
	}

	private Counter outcome(String name, String outcome, String description) {
		return Counter.builder(name).tag("outcome", outcome).description(description).register(this.registry);
	}

	/** Histogram buckets for Prometheus: percentiles over every instance come from those (histogram_quantile). */
	private Timer latency(String name, String description, Duration maximum) {
		return Timer.builder(name)
			.description(description)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(maximum)
			.register(this.registry);
	}

	/** Counts a join's outcome; one that entered the call (a participant, not empty) is timed too. */
	Mono<Participant> join(Mono<Participant> join) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.registry);
			return join.doOnSuccess(participant -> {
				if (participant == null) {
					this.joinRefused.increment();
					return;
				}
				sample.stop(this.joinDuration);
				this.joined.increment();
			}).doOnError(ex -> this.joinRefused.increment());
		});
	}

	/** A resume completes once the resumer has its sequence; it fails with what the client is refused with. */
	Mono<Void> resume(Mono<Void> resume) {
		return resume.doOnSuccess(done -> this.resumed.increment()).doOnError(ex -> this.resumeRefused.increment());
	}

	Mono<Void> signal(Mono<Void> relay) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.registry);
			return relay.doOnSuccess(done -> sample.stop(this.signalDuration));
		});
	}
}
