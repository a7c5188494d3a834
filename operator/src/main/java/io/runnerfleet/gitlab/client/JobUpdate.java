package io.runnerfleet.gitlab.client;

import java.util.Objects;

/**
 * The body of {@code PUT /api/v4/jobs/:id} besides {@code info} and {@code token}.
 *
 * @param failureReason sent only with {@link JobState#FAILED}
 * @param exitCode      sent only when not 0 (gitlab-runner omits 0)
 * @param checksum      {@code crc32:%08x} of every trace byte, or null to omit
 * @param bytesize      number of trace bytes; omitted when 0
 */
public record JobUpdate(JobState state, String failureReason, int exitCode, String checksum, long bytesize) {
    public JobUpdate {
        Objects.requireNonNull(state, "state");
        if (state != JobState.FAILED) {
            failureReason = null;
        }
    }

    public static JobUpdate running(String checksum, long bytesize) {
        return new JobUpdate(JobState.RUNNING, null, 0, checksum, bytesize);
    }

    public static JobUpdate success(String checksum, long bytesize) {
        return new JobUpdate(JobState.SUCCESS, null, 0, checksum, bytesize);
    }

    public static JobUpdate failed(String failureReason, int exitCode, String checksum, long bytesize) {
        return new JobUpdate(JobState.FAILED, failureReason, exitCode, checksum, bytesize);
    }

    /** The same update carrying another trace checksum and size. */
    public JobUpdate withOutput(String newChecksum, long newBytesize) {
        return new JobUpdate(state, failureReason, exitCode, newChecksum, newBytesize);
    }
}
