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
