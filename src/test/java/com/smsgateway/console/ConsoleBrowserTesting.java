package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every console browser test class shares: one browser for the class, a fresh tab state before each test, a
 * screenshot under {@code target/console-screenshots/} and no script error or policy violation after each, and the
 * API calls that set up what the console is then asked to show.
 */
abstract class ConsoleBrowserTesting {
  static final String ADMIN = TestGateway.ADMIN_KEY;
  static final String XSS = "<img src=x onerror=alert(1)>";
  private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(7100);

  static ConsoleBrowser browser;
  static Http http;
  private String testName;

  /** Call from the subclass's {@code @BeforeAll}, after its gateway started. */
  static void startBrowser(RunningGateway running) {
    http = running.http();
    browser = new ConsoleBrowser(running.gateway().port());
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @BeforeEach
  void freshTab(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
    browser.resize(1280, 1000);
    browser.openFresh();
  }

  @AfterEach
  void screenshotAndConsole() {
    browser.screenshot(testName);
    browser.assertNoBrowserErrors();
  }

  static String workspaceKey(String workspaceId) {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  /** A US number no other console test uses (the sandbox offers +1NNN55501NN, so these never collide with bought ones). */
  static String freshNumber() {
    return String.format("+1415555%04d", NEXT_NUMBER.getAndIncrement());
  }

  /** An enabled platform number of {@code workspaceId}, imported the admin way. */
  static String enabledNumber(String workspaceId) {
    String number = freshNumber();
    var put = http.putJson("/v1/sms-numbers/" + number, ADMIN,
        new JsonObject().put("type", "platform").put("workspace_id", workspaceId).put("agent_id", "agent_console").put("sms_status", "enabled"));
    assertThat(put.statusCode()).as(put.bodyAsString()).isIn(200, 201);
    return number;
  }

  static JsonObject registeredCall(String workspaceId, String agentNumber, String customerNumber) {
    var call = http.postJson("/v1/calls", ADMIN, new JsonObject().put("call_id", "call-" + UUID.randomUUID()).put("workspace_id", workspaceId)
        .put("agent_id", "agent_console").put("agent_number", agentNumber).put("customer_number", customerNumber));
    assertThat(call.statusCode()).as(call.bodyAsString()).isEqualTo(201);
    return call.bodyAsJsonObject();
  }
}
