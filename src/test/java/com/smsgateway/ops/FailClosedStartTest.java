package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production entry point fails closed: with the shipped conf/gateway.yaml and no Twilio mode or credentials it
 * does not fall back to the sandbox, it exits non-zero naming the keys to set (before connecting to anything).
 */
class FailClosedStartTest {

  @Test
  void theJarWithoutModeAndCredentialsExitsNonZeroNamingThem() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "com.smsgateway.Main"))
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("GATEWAY_"));
    env.put("GATEWAY_CONFIG", "conf/gateway.yaml");
    Process main = builder.start();

    boolean exited = main.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      main.destroyForcibly().waitFor();
    }
    String output = new String(main.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(exited).as("Main exits on its own").isTrue();
    assertThat(main.exitValue()).as(output).isNotZero();
    assertThat(output).contains("twilio.account_sid", "GATEWAY_TWILIO_ACCOUNT_SID", "twilio.auth_token", "GATEWAY_TWILIO_AUTH_TOKEN");
  }
}
