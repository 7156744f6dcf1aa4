package dev.budgetmeter.localstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the shared secured cluster of this test JVM: parameters of type
 * {@link dev.budgetmeter.localstack.LocalKafkaCluster} in constructors, lifecycle and test methods are resolved to it.
 * Same as {@code @ExtendWith(KafkaClusterExtension.class)}; see {@link KafkaClusterExtension} for what it is.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaClusterExtension.class)
public @interface WithKafkaCluster {
}
