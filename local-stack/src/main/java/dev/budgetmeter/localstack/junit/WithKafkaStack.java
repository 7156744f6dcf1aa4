package dev.budgetmeter.localstack.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test class the shared Kafka stack: parameters of type {@link dev.budgetmeter.localstack.KafkaStack} (or
 * {@link dev.budgetmeter.localstack.LocalKafkaStack}) in constructors, lifecycle and test methods are resolved to
 * the one stack of this test JVM. Same as {@code @ExtendWith(KafkaStackExtension.class)}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaStackExtension.class)
public @interface WithKafkaStack {
}
