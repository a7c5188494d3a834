package io.runnerfleet.jobpod;

import java.util.ArrayList;
import java.util.List;

/**
 * The cache sections of the {@code prepare} and {@code helper} scripts, worded and ordered as gitlab-runner's
 * {@code shells/abstract.go} writes them: restore tries the key, then each fallback key, until one extracts
 * ({@code addExtractCacheCommand}); save archives with {@code cache-archiver} when {@code when} matches the build's
 * result ({@code archiveCache}). A failure in either only warns. A presigned URL arrives in an environment variable
 * (from the job's Secret), so the script names the variable, never the URL.
 */
final class CacheScripts {
    private CacheScripts() {}

    /** For {@code prepare}, in the project directory. */
    static void restore(ScriptText s, List<CacheEntry> entries, int timeoutMinutes) {
        for (CacheEntry entry : entries) {
            entry.warnings().forEach(w -> s.echo("WARNING: " + w));
            if (entry.restore().isEmpty()) {
                s.echo("Skipping cache extraction due to empty cache key");
            } else if (!entry.pull()) {
                s.echo("Not downloading cache " + entry.restore().get(0).key() + " due to policy");
            } else {
                extract(s, entry.restore(), 0, timeoutMinutes);
            }
        }
    }

    private static void extract(ScriptText s, List<CacheEntry.Archive> keys, int index, int timeoutMinutes) {
        CacheEntry.Archive archive = keys.get(index);
        String indent = "  ".repeat(index);
        s.line(indent + ScriptText.echoCommand("Checking cache for " + archive.key() + "..."));
        List<String> words = List.of(
                "gitlab-runner-helper",
                "cache-extractor",
                "--file",
                archive.file(),
                "--timeout",
                Integer.toString(timeoutMinutes));
        s.line(indent + "if " + ShellQuote.quoteAll(words) + url(archive) + "; then");
        s.line(indent + "  " + ScriptText.echoCommand("Successfully extracted cache"));
        s.line(indent + "else");
        s.line(indent + "  " + ScriptText.echoCommand("WARNING: Failed to extract cache"));
        if (index + 1 < keys.size()) {
            extract(s, keys, index + 1, timeoutMinutes);
        }
        s.line(indent + "fi");
    }

    /**
     * For {@code helper}, in the project directory, once {@code $result} is {@code on_success} or
     * {@code on_failure}.
     *
     * @param maxUploadedArchiveSize {@code [runners.cache] MaxUploadedArchiveSize} in bytes, 0 for no limit
     */
    static void archive(ScriptText s, List<CacheEntry> entries, int timeoutMinutes, long maxUploadedArchiveSize) {
        for (CacheEntry entry : entries) {
            switch (entry.when()) {
                case NEVER -> {
                    continue;
                }
                case ALWAYS -> s.line("if true; then");
                case ON_FAILURE -> s.line("if [ \"$result\" = on_failure ]; then");
                case ON_SUCCESS -> s.line("if [ \"$result\" = on_success ]; then");
            }
            entry.warnings().forEach(w -> s.line("  " + ScriptText.echoCommand("WARNING: " + w)));
            if (entry.upload().isEmpty()) {
                s.line("  " + ScriptText.echoCommand("Skipping cache archiving due to empty cache key"));
            } else if (!entry.push()) {
                s.line("  "
                        + ScriptText.echoCommand(
                                "Not uploading cache " + entry.upload().get().key() + " due to policy"));
            } else {
                CacheEntry.Archive upload = entry.upload().get();
                List<String> words = new ArrayList<>(List.of(
                        "gitlab-runner-helper",
                        "cache-archiver",
                        "--file",
                        upload.file(),
                        "--timeout",
                        Integer.toString(timeoutMinutes)));
                if (maxUploadedArchiveSize > 0) {
                    words.add("--max-uploaded-archive-size");
                    words.add(Long.toString(maxUploadedArchiveSize));
                }
                words.addAll(entry.archiverArgs());
                s.line("  " + ScriptText.echoCommand("Creating cache " + upload.key() + "..."));
                s.line("  if " + ShellQuote.quoteAll(words) + url(upload) + "; then");
                s.line("    " + ScriptText.echoCommand("Created cache"));
                s.line("  else");
                s.line("    " + ScriptText.echoCommand("WARNING: Failed to create cache"));
                s.line("  fi");
            }
            s.line("fi");
        }
    }

    private static String url(CacheEntry.Archive archive) {
        return archive.urlEnv().map(env -> " --url \"$" + env + "\"").orElse("");
    }
}
