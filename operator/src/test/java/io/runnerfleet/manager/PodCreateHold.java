package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault on one manager's Kubernetes client: once armed, its Job Pod creations never reach the API server, as for a
 * manager SIGKILLed between writing a job's record and creating its pod. The held call stays held (the manager is
 * then crashed, as a killed process would not go on); it fails only when the test closes, so no thread outlives it.
 */
final class PodCreateHold implements Interceptor {
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean armed;

    PodCreateHold(boolean armed) {
        this.armed = armed;
    }

    void arm() {
        armed = true;
    }

    /** Pod creations held so far. */
    int held() {
        return held.get();
    }

    void close() {
        closed.countDown();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (!armed
                || !"POST".equals(request.method())
                || !request.uri().getPath().endsWith("/pods")) {
            return;
        }
        held.incrementAndGet();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("a held pod creation: the test is over or its manager crashed");
    }
}
