package com.smsgateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that exercises Redis: it runs against the standalone server, and again against a Redis Cluster in
 * the {@code redis-cluster} surefire execution (see {@link TestServices}); skipped there, with the reason, when no
 * Cluster can be had.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("redis")
@ExtendWith(RedisTest.ClusterAvailable.class)
public @interface RedisTest {

  final class ClusterAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (!TestServices.redisCluster()) {
        return ConditionEvaluationResult.enabled("standalone Redis");
      }
      String unavailable = TestServices.clusterUnavailable();
      if (unavailable != null) {
        System.err.println("SKIPPED " + context.getDisplayName() + ": " + unavailable);
        return ConditionEvaluationResult.disabled(unavailable);
      }
      return ConditionEvaluationResult.enabled("Redis Cluster at " + TestServices.clusterEndpoints().orElseThrow());
    }
  }
}
