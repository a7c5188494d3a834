package io.runnerfleet.jobpod;

/** Pieces of an image reference such as {@code registry.example.com:5000/group/docker:27-dind@sha256:...}. */
public final class ImageReference {
    private ImageReference() {}

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
