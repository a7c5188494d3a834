package io.runnerfleet.testing.gitlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bare git repository made with real {@code git} for a job to clone: {@code root/<fullPath>.git} with one commit
 * on {@code ref} holding the given files, which a {@link TestGitLab} built with {@code repositories(root)} serves.
 *
 * @param fullPath the project's path, as GitLab's {@code project_full_path} ({@code acme/shop})
 * @param ref      the branch
 * @param sha      the commit a job checks out
 */
public record TestRepository(String fullPath, String ref, String sha) {

    /** Creates the repository; files are {@code path → content}, written as UTF-8. */
    public static TestRepository create(Path root, String fullPath, String ref, Map<String, String> files)
            throws IOException {
        Path bare = root.resolve(fullPath + ".git");
        Path work = Files.createTempDirectory("test-repository");
        Files.createDirectories(bare.getParent());
        git(root, "init", "-q", "--bare", bare.toString());
        git(work, "init", "-q", "-b", ref, work.toString());
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = work.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "test content");
        String sha = git(work, "rev-parse", "HEAD").trim();
        git(work, "push", "-q", bare.toUri().toString(), "HEAD:refs/heads/" + ref);
        return new TestRepository(fullPath, ref, sha);
    }

    private static String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Runner Fleet Test",
                "-c",
                "user.email=test@runner-fleet.test",
                "-c",
                "init.defaultBranch=main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
