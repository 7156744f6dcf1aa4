package dev.budgetmeter.cli.acls;

import dev.budgetmeter.poll.Poll;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Applies an {@link AccessPlan} through the admin API, idempotently: creating an ACL that exists changes nothing,
 * and a SCRAM credential given again replaces the old one. Returns once the cluster lists every ACL; brokers apply
 * them from the metadata log within moments of that. The connection needs a principal allowed to alter ACLs and
 * SCRAM credentials (a super user, or ALTER on the cluster). Passwords are never logged or returned.
 */
public final class AclApplier {

    /** The SCRAM mechanism of every user it creates. */
    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    private static final int ITERATIONS = 8192;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Admin admin;
    private final Duration timeout;

    /** @param timeout bound on each call to the cluster */
    public AclApplier(final Admin admin, final Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Creates or updates the SCRAM-SHA-512 credential of each user, by user name (without {@code User:}).
     *
     * @return how many credentials were set
     */
    public int upsertUsers(final Map<String, String> passwords) {
        if (passwords.isEmpty()) {
            return 0;
        }
        final List<UserScramCredentialAlteration> alterations = passwords.entrySet().stream()
                .map(user -> (UserScramCredentialAlteration) new UserScramCredentialUpsertion(user.getKey(),
                        new ScramCredentialInfo(MECHANISM, ITERATIONS), user.getValue()))
                .toList();
        await(admin.alterUserScramCredentials(alterations).all(), "setting SCRAM credentials");
        return passwords.size();
    }

    /**
     * Creates every ACL and waits until the cluster lists them all.
     *
     * @return how many ACLs of the plan were not listed before (0 when it had been applied already)
     */
    public int apply(final List<AclBinding> bindings) {
        final Set<AclBinding> before = listed();
        await(admin.createAcls(bindings).all(), "creating ACLs");
        if (!Poll.until(() -> listed().containsAll(bindings), timeout, POLL)) {
            throw new IllegalStateException("the cluster did not list every ACL created within " + timeout);
        }
        final Set<AclBinding> added = new HashSet<>(bindings);
        added.removeAll(before);
        return added.size();
    }

    private Set<AclBinding> listed() {
        return new HashSet<>(await(admin.describeAcls(AclBindingFilter.ANY).values(), "listing ACLs"));
    }

    private <T> T await(final KafkaFuture<T> future, final String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException(what + " took longer than " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }
}
