package com.smsgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisScriptTest {

  @Test
  void aScriptIsReadOffTheEventLoops() {
    assertThat(RedisScript.fromClasspath("/lua/segment_limit.lua").toString()).contains("segment_limit.lua");
  }

  @Test
  void readingAScriptOnAnEventLoopIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        try {
          RedisScript.fromClasspath("/lua/segment_limit.lua");
          refused.complete(null);
        } catch (IllegalStateException e) {
          refused.complete(e);
        }
      });
      assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    } finally {
      vertx.close().await();
    }
  }
}
