package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet's Secret volume for managers in one JVM: the key of a Secret in the mock API server, copied into
 * each manager's token file, and again (swapped whole, as the kubelet's atomic writer does) whenever it changes.
 * The kubelet does that within its sync period (about a minute); here every {@code period}.
 */
final class SecretVolume implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String key;
    private final List<Path> files;
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "secret-volume");
        thread.setDaemon(true);
        return thread;
    });

    SecretVolume(KubernetesClient client, String namespace, String name, String key, List<Path> files) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.key = key;
        this.files = List.copyOf(files);
    }

    /** Writes the files now (the pod starts with them), then follows the Secret every {@code period}. */
    SecretVolume mount(Duration period) {
        syncOnce();
        sync.scheduleWithFixedDelay(this::syncOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void syncOnce() {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return;
        }
        String value = new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        for (Path file : files) {
            try {
                if (Files.exists(file) && Files.readString(file).equals(value)) {
                    continue;
                }
                Path staged = Files.writeString(file.resolveSibling(file.getFileName() + ".staged"), value);
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        sync.shutdownNow();
    }
}
