package io.runnerfleet.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The second test tier: a test class (or method) that starts something outside the test JVM's own code carries one of
 * these annotations. Each adds the JUnit tag {@value #TAG} (and one tag for its kind): surefire ({@code ./mvnw test},
 * the fast tier) excludes that tag, failsafe runs exactly that tag after {@code package} ({@code ./mvnw verify} runs
 * both tiers; {@code -DskipITs} leaves the second one out). Everything without one of these annotations must be pure
 * or run against in-process fakes (fabric8's mock server, {@code testing/gitlab/TestGitLab}, the simulated kubelet).
 */
public final class External {
    /** The tag failsafe runs and surefire leaves out. */
    public static final String TAG = "external";

    private External() {}

    /** A real kube-apiserver + etcd ({@link RealApiServer}, {@link RealApiServerExtension}). */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("apiserver")
    public @interface ApiServer {}

    /** The real Helm library (helm-java) linting or templating the chart. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("helm")
    public @interface Helm {}

    /** A real Prometheus server. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("prometheus")
    public @interface Prometheus {}

    /** k3s in Testcontainers (skipped where no Docker engine exists). */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("k3s")
    public @interface K3s {}

    /** A second JVM (the runner-fleet CLI started as a process). */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("jvm")
    public @interface Jvm {}

    /** A real S3 server ({@link S3ProxyServer}: s3proxy, a second JVM) checking the presigned URLs' signatures. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("s3")
    public @interface S3 {}

    /** The real single-node cluster of {@code src/test-cluster/} (needs {@code up.sh} first; never skips). */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Tag(TAG)
    @Tag("cluster")
    public @interface RealCluster {}
}
