package io.runnerfleet.manager.trace;

/**
 * How following one container's log ended.
 *
 * @param outcome why it stopped
 * @param lines   lines delivered to the sink
 * @param streams log streams opened (1 when nothing ended early)
 */
public record FollowResult(Outcome outcome, long lines, int streams) {
    public enum Outcome {
        /** The container terminated and its whole log was delivered. */
        COMPLETED,
        /** The container never started and never will (the pod finished or is being deleted). */
        WILL_NOT_RUN,
        /** The pod disappeared; what was read before was delivered. */
        POD_GONE,
        /** {@link ContainerLogFollower#cancel()} or interruption. */
        CANCELLED,
        /** The container terminated but its log could not be read. */
        LOG_UNAVAILABLE
    }
}
