package dev.budgetmeter.localstack.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Random passwords for the local cluster's users and stores: 24 random bytes, URL-safe Base64 (no quoting needed). */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 24;

    private Secrets() {
    }

    /** A new random password of 32 characters from {@code [A-Za-z0-9_-]}. */
    public static String random() {
        final byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
