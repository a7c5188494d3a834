package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobSlotsTest {
    @Test
    void concurrentIdsAreTheLowestFreeNumbersPerRunnerAndPerProject() {
        // gitlab-runner's commands/builds_helper.go: CI_CONCURRENT_ID and CI_CONCURRENT_PROJECT_ID.
        JobSlots slots = new JobSlots(10);
        JobSlots.Slot a0 = slots.tryAcquire("a", 0).orElseThrow();
        JobSlots.Slot a1 = slots.tryAcquire("a", 0).orElseThrow();
        JobSlots.Slot b0 = slots.tryAcquire("b", 0).orElseThrow();
        assertThat(List.of(a0.concurrentId(), a1.concurrentId(), b0.concurrentId()))
                .containsExactly(0, 1, 0);
        assertThat(a0.concurrentProjectId(7)).isZero();
        assertThat(a1.concurrentProjectId(7)).isEqualTo(1);
        assertThat(a1.concurrentProjectId(8)).as("fixed once known").isEqualTo(1);
        assertThat(b0.concurrentProjectId(7))
                .as("another runner counts on its own")
                .isZero();

        a0.close();
        JobSlots.Slot again = slots.tryAcquire("a", 0).orElseThrow();
        assertThat(again.concurrentId()).as("the freed number is taken again").isZero();
        assertThat(again.concurrentProjectId(7)).isZero();
        assertThat(slots.forceAcquire("a").concurrentId()).isEqualTo(2);
    }

    @Test
    void concurrentCapsTheWholeProcessAndLimitCapsOneRunner() {
        JobSlots slots = new JobSlots(3);
        List<JobSlots.Slot> taken = new ArrayList<>();
        slots.tryAcquire("a", 2).ifPresent(taken::add);
        slots.tryAcquire("a", 2).ifPresent(taken::add);
        assertThat(slots.tryAcquire("a", 2)).as("runner a is at its limit").isEmpty();
        slots.tryAcquire("b", 0).ifPresent(taken::add);
        assertThat(slots.tryAcquire("b", 0)).as("process is at concurrent").isEmpty();
        assertThat(slots.inUse()).isEqualTo(3);

        taken.get(0).close();
        taken.get(0).close();
        assertThat(slots.inUse()).as("a slot is given back once").isEqualTo(2);
        assertThat(slots.tryAcquire("a", 2)).isPresent();
    }

    @Test
    void neverMoreThanConcurrentUnderContention() throws Exception {
        JobSlots slots = new JobSlots(10);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(30);
        CountDownLatch done = new CountDownLatch(300);
        for (int i = 0; i < 300; i++) {
            Future<?> unused = pool.submit(() -> {
                try {
                    Optional<JobSlots.Slot> slot = slots.acquire("r", 0, 10_000);
                    try (JobSlots.Slot s = slot.orElseThrow()) {
                        highWater.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                        running.decrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdownNow();
        assertThat(highWater.get()).isLessThanOrEqualTo(10).isGreaterThan(1);
        assertThat(slots.inUse()).isZero();
    }

    @Test
    void concurrentBelowOneIsRefused() {
        assertThatThrownBy(() -> new JobSlots(0)).hasMessageContaining("concurrent");
    }
}
