package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.PodSecurityContextSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The user a job asks its image or a service to run as ({@code image: docker: ...} is Docker's; this is {@code
 * executor_opts: kubernetes: user: "1000"} or {@code "1000:1000"}), turned into the container's runAsUser/runAsGroup as
 * gitlab-runner's {@code getContainerUIDGID} does ({@code executors/kubernetes/kubernetes.go}):
 *
 * <ul>
 *   <li>a runAsUser (runAsGroup) in the fleet's container security context, else in its pod security context, wins;
 *       the job's wish is then only reported ("Overriding user ... is not allowed");
 *   <li>otherwise the job's id is used if it is a non-negative number allowed by {@code allowedUsers}
 *       ({@code allowedGroups}) as {@code KubernetesConfig.IsUserAllowed} rules (common/config.go): root (0) only when
 *       listed, any other id when the list is empty;
 *   <li>an id that fails is not used and the job is not failed: gitlab-runner warns ("Error parsing 'uid' from image
 *       options ..., using the configured security context") and the container runs as the fleet configured it.
 * </ul>
 *
 * @param runAsUser null when the job's user is not used (none asked, refused, or the fleet's context decides)
 * @param runAsGroup likewise
 * @param warnings gitlab-runner's {@code Warningln} lines for the trace
 * @param notes gitlab-runner's {@code Println} lines for the trace
 */
public record ImageUser(Long runAsUser, Long runAsGroup, List<String> warnings, List<String> notes) {
    public ImageUser {
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    public static ImageUser none() {
        return new ImageUser(null, null, List.of(), List.of());
    }

    /** {@code jobUser} already expanded, or null; {@code container} the container's name, for the trace lines. */
    public static ImageUser resolve(
            String jobUser, String container, ContainerSecurityContextSpec containerContext, ExecutorSpec executor) {
        if (jobUser == null || jobUser.isEmpty()) {
            return none();
        }
        int colon = jobUser.indexOf(':');
        String uid = colon < 0 ? jobUser : jobUser.substring(0, colon);
        String gid = colon < 0 ? "" : jobUser.substring(colon + 1);
        PodSecurityContextSpec pod = executor.podSecurityContext();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Long user = pick(
                new Kind("uid", "UID", "user", executor.allowedUsers()),
                uid,
                containerContext == null ? null : containerContext.runAsUser(),
                pod == null ? null : pod.runAsUser(),
                container,
                warnings,
                notes);
        Long group = pick(
                new Kind("gid", "GID", "group", executor.allowedGroups()),
                gid,
                containerContext == null ? null : containerContext.runAsGroup(),
                pod == null ? null : pod.runAsGroup(),
                container,
                warnings,
                notes);
        return new ImageUser(user, group, warnings, notes);
    }

    /** The id's three names in gitlab-runner's messages, and its allow-list. */
    private record Kind(String lower, String upper, String word, List<String> allowed) {}

    private static Long pick(
            Kind kind,
            String wanted,
            Long containerId,
            Long podId,
            String container,
            List<String> warnings,
            List<String> notes) {
        Long configured = containerId != null ? containerId : podId;
        if (configured != null) {
            if (!wanted.isEmpty()) {
                notes.add("Overriding " + kind.word() + " for container \"" + container + "\" to \"" + wanted
                        + "\" is not allowed: " + kind.word() + " is set to " + configured + " in "
                        + (containerId != null ? "container security context" : "pod security context"));
            }
            // The fleet's value is already in the container's or the pod's context.
            return null;
        }
        if (wanted.isEmpty()) {
            return null;
        }
        String problem = problem(kind, wanted);
        if (problem != null) {
            warnings.add("Error parsing '" + kind.lower() + "' from image options for container \"" + container
                    + "\", using the configured security context: " + problem);
            return null;
        }
        return Long.parseLong(wanted);
    }

    /** gitlab-runner's {@code parseAndValidateID} error, or null when the id may be used. */
    private static String problem(Kind kind, String wanted) {
        long id;
        try {
            id = Long.parseLong(wanted);
        } catch (NumberFormatException e) {
            return "failed to parse " + kind.upper() + ": strconv.ParseInt: parsing \"" + wanted + "\": invalid syntax";
        }
        if (id < 0) {
            return "failed to parse " + kind.upper() + ": negative values not allowed";
        }
        boolean listed = kind.allowed().stream().anyMatch(entry -> sameId(entry, id));
        // Root needs to be listed even when the list is empty; other ids only when there is a list.
        if (listed || (id != 0 && kind.allowed().isEmpty())) {
            return null;
        }
        return "validating " + kind.upper() + ": " + kind.word() + " \"" + wanted + "\" is not in the allowed list: ["
                + String.join(" ", kind.allowed()) + "]";
    }

    /** Entries are compared as numbers ("00" is root); gitlab-runner skips entries that are not numbers. */
    private static boolean sameId(String entry, long id) {
        try {
            return Long.parseLong(entry) == id;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
