package com.smsgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RedisTest;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.testing.TestServices;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In the redis-cluster execution the @RedisTest classes really run on a three-master Cluster, not a lone server. */
@RedisTest
class RedisClusterModeTest {
  @RegisterExtension
  static final RunningGateway gateway = new RunningGateway(TestGateway.forClass(RedisClusterModeTest.class));

  @Test
  void theGatewaysRedisIsAClusterOfThreeMastersWhenTheClusterExecutionRuns() {
    assumeTrue(TestServices.redisCluster(), "standalone execution: the Cluster is checked in the redis-cluster execution");

    String info = Await.result(gateway.gateway().redis().send(Request.cmd(Command.CLUSTER).arg("INFO"))).toString();

    assertThat(gateway.gateway().config().redis().mode().name()).isEqualTo("CLUSTER");
    assertThat(info).contains("cluster_state:ok").contains("cluster_size:3");
  }
}
