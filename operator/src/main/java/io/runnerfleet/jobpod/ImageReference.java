package io.runnerfleet.jobpod;

/** Pieces of an image reference such as {@code registry.example.com:5000/group/docker:27-dind@sha256:...}. */
public final class ImageReference {
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN =
            DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    /**
     * The reference grammar of the container runtimes ({@code github.com/distribution/reference}, which
     * containerd and CRI-O parse with): {@code [domain/]path[:tag][@digest]}.
     */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("^(?:(?:" + DOMAIN + ")/)?"
            + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?$");

    private ImageReference() {}

    /**
     * Refuses, before any pod, an image that no runtime can pull: the API server takes any text as a container's
     * image, and the job would only fail later as a pull failure. gitlab-runner leaves this to the pull; we say it at
     * once, in the job's words, since such a name is never pullable.
     *
     * @param what {@code image} or {@code service}, as the job's {@code .gitlab-ci.yml} names it
     */
    static void verify(String image, String what) {
        if (!REFERENCE.matcher(image).matches()) {
            throw new JobPodException(what + " \"" + ServiceHostnames.printable(image) + "\" is not an image "
                    + "reference ([registry/]path[:tag][@digest], lower-case path); fix the " + what
                    + " name in .gitlab-ci.yml or the variable it uses");
        }
    }

    /** {@code registry/path/name} without tag, digest or registry port. */
    public static String repository(String image) {
        String name = image;
        int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            name = name.substring(0, colon);
        }
        int firstSlash = name.indexOf('/');
        if (firstSlash > 0) {
            String host = name.substring(0, firstSlash);
            int port = host.indexOf(':');
            if (port >= 0) {
                name = host.substring(0, port) + name.substring(firstSlash);
            }
        }
        return name;
    }

    /** The tag, or empty when the reference has none. */
    public static String tag(String image) {
        String name = image;
        int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(colon + 1) : "";
    }

    /** The last path element: {@code docker} for {@code registry.example.com/docker:dind}. */
    public static String shortName(String image) {
        String repository = repository(image);
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /** A Docker-in-Docker image: {@code docker:dind}, {@code docker:27-dind}, {@code registry/x/docker:dind-rootless}. */
    public static boolean isDind(String image) {
        return shortName(image).equals("docker") && tag(image).contains("dind");
    }
}
