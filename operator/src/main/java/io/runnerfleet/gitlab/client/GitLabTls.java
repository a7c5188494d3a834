package io.runnerfleet.gitlab.client;

import io.runnerfleet.base.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The manager's TLS towards GitLab from a runner's {@code tls-ca-file}, {@code tls-cert-file} and
 * {@code tls-key-file} (gitlab-runner's {@code network/client.go}): the CA file's certificates are the only ones
 * trusted; the certificate and key, when both are set, authenticate the manager. Files are PEM; the key must be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC.
 */
public final class GitLabTls {
    private GitLabTls() {}

    /**
     * @param source where the paths were configured, for errors (e.g. {@code /etc/runner-fleet/config.toml})
     * @param caFile the CA bundle, or null for the JVM's default trust
     */
    public static SSLContext context(String source, Path caFile, Path certFile, Path keyFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                int i = 0;
                for (Certificate certificate : certificates(source, "tls-ca-file", caFile)) {
                    anchors.setCertificateEntry("ca-" + i++, certificate);
                }
                trust.init(anchors);
            }
            KeyManagerFactory keys = null;
            if (certFile != null && keyFile != null) {
                KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
                identity.load(null, null);
                List<Certificate> chain = certificates(source, "tls-cert-file", certFile);
                identity.setKeyEntry(
                        "client", privateKey(source, keyFile), new char[0], chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidInputException(source, "tls-ca-file", "cannot set up TLS: " + e.getMessage());
        }
    }

    /** The file's text, for the job's {@code CI_SERVER_TLS_*_FILE} variables. */
    public static String read(String source, String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(source, key, "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static List<Certificate> certificates(String source, String key, Path file) {
        String pem = read(source, key, file);
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new InvalidInputException(source, key, file + " holds no certificate; give a PEM file");
            }
            return List.copyOf(certificates);
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(
                    source, key, file + " is not a PEM file of certificates (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String source, Path file) {
        String pem = read(source, "tls-key-file", file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new InvalidInputException(
                    source,
                    "tls-key-file",
                    file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with "
                            + "openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new InvalidInputException(source, "tls-key-file", file + " is not an RSA, EC or Ed25519 key");
    }
}
