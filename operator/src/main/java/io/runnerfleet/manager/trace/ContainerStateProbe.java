package io.runnerfleet.manager.trace;

/** Tells the follower whether a container still runs; asked whenever a log stream ends or cannot be opened. */
@FunctionalInterface
public interface ContainerStateProbe {
    ContainerRunState state(String container);
}
