package io.runnerfleet.jobpod;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 with the signature in the query string (a presigned URL), for S3: the URLs gitlab-runner's
 * S3 cache adapter hands the helper ({@code cache/s3/adapter.go}, through minio's {@code PresignHeader}). Only the
 * {@code host} header is signed and the payload is {@code UNSIGNED-PAYLOAD}, so anyone holding the URL may GET or
 * PUT that one object until it expires, and nothing else. Pure: the time is an argument.
 *
 * @param region the bucket's region ({@code BucketLocation}); {@code us-east-1} when empty
 */
public record S3Presigner(String accessKey, String secretKey, String region) {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** SigV4's longest validity. */
    public static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

    public S3Presigner {
        region = region == null || region.isEmpty() ? "us-east-1" : region;
    }

    /** Keeps the secret key out of logs and exception messages. */
    @Override
    public String toString() {
        return "S3Presigner[region=" + region + "]";
    }

    /**
     * @param scheme  {@code http} or {@code https}
     * @param host    the Host header: {@code host} or {@code host:port} (a non-default port)
     * @param path    the object's path as sent, unencoded: {@code /bucket/key} (path style) or {@code /key}
     * @param expires seconds, 1 to {@link #MAX_EXPIRES_SECONDS}
     */
    public String presign(String method, String scheme, String host, String path, Instant at, long expires) {
        String amzDate = AMZ_DATE.format(at);
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/s3/aws4_request";
        Map<String, String> query = new TreeMap<>();
        query.put("X-Amz-Algorithm", ALGORITHM);
        query.put("X-Amz-Credential", accessKey + "/" + scope);
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(Math.max(1, Math.min(expires, MAX_EXPIRES_SECONDS))));
        query.put("X-Amz-SignedHeaders", "host");
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((k, v) -> canonicalQuery
                .append(canonicalQuery.isEmpty() ? "" : "&")
                .append(encode(k, true))
                .append('=')
                .append(encode(v, true)));
        String canonicalUri = encode(path, false);
        String canonicalRequest = String.join(
                "\n", method, canonicalUri, canonicalQuery, "host:" + host + "\n", "host", "UNSIGNED-PAYLOAD");
        String stringToSign = String.join("\n", ALGORITHM, amzDate, scope, hex(sha256(canonicalRequest)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        return scheme + "://" + host + canonicalUri + "?" + canonicalQuery + "&X-Amz-Signature=" + signature;
    }

    /** RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay; {@code /} stays in a path. */
    static String encode(String value, boolean encodeSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
