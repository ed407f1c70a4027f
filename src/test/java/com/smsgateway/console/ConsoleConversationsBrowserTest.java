package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.dev.DemoChatAgent;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** Conversations in a real browser: the demo chat agent answers texts, the transcript updates itself, Create Outbound SMS. */
class ConsoleConversationsBrowserTest extends ConsoleBrowserTesting {
  private static final String AGENT_SECRET = "console-test-chat-agent-secret";
  private static final Vertx AGENT_VERTX = Vertx.vertx();
  /** The dev mode's demo chat agent: echoes the customer's last text with the turn count. */
  private static final HttpServer AGENT = Await.result(new DemoChatAgent(AGENT_SECRET).listen(AGENT_VERTX, "127.0.0.1", 0));

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ConsoleConversationsBrowserTest.class)
      .with("GATEWAY_TWILIO_MODE", "sandbox")
      .with("GATEWAY_CHAT_AGENTS_URL", "http://127.0.0.1:" + AGENT.actualPort() + "/turn")
      .with("GATEWAY_CHAT_AGENTS_SECRET", AGENT_SECRET));

  @BeforeAll
  static void openBrowser() {
    startBrowser(running);
  }

  @AfterAll
  static void stopAgent() {
    Await.result(AGENT_VERTX.close());
  }

  /** An enabled number of {@code workspace} whose texts the chat agent answers. */
  private static String chatNumber(String workspace) {
    String number = enabledNumber(workspace);
    var patched = http.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + ADMIN).putHeader("Content-Type", "application/json");
    var response = com.smsgateway.testing.Http.send(patched, new JsonObject().put("chat_agent_id", "agent_demo").toBuffer());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return number;
  }

  @Test
  void aSandboxInboundTextAppearsInTheTranscriptWithTheAgentsReplyAndRendersInert() {
    String workspace = "ws_console_chat";
    String number = chatNumber(workspace);
    String customer = freshNumber();
    browser.signIn(workspaceKey(workspace));
    browser.go("#/conversations");
    browser.visible(By.cssSelector(".page[data-page=conversations] .empty"));

    var inbound = http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", number).put("body", XSS));
    assertThat(inbound.statusCode()).as(inbound.bodyAsString()).isEqualTo(200);

    // The list and then the transcript update without a reload.
    browser.visible(By.linkText(customer)).click();
    browser.waitForText(By.cssSelector(".transcript"), "You said: " + XSS + " (turn 1)");
    WebElement customerText = browser.driver().findElement(By.cssSelector(".transcript .text.incoming .text-body"));
    assertThat(customerText.getText()).isEqualTo(XSS);
    assertThat(browser.driver().findElements(By.cssSelector(".transcript img"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    browser.waitForText(By.cssSelector(".transcript .text.outgoing .text-status"), "delivered");

    http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", number).put("body", "second text"));
    browser.waitForText(By.cssSelector(".transcript"), "You said: second text (turn 2)");
    assertThat(browser.driver().findElements(By.cssSelector(".transcript > li"))).hasSize(4);
  }

  @Test
  void makeAnOutboundSmsStartsAChatTheAgentWritesFirstAndASecondOneForThePairIsRefused() {
    String workspace = "ws_console_outbound";
    String number = chatNumber(workspace);
    String customer = freshNumber();
    browser.signIn(workspaceKey(workspace));
    browser.go("#/conversations");
    browser.visible(By.xpath("//button[normalize-space(.)='Make an outbound SMS']")).click();
    WebElement form = browser.visible(By.cssSelector("form.outbound-form"));
    browser.fieldByLabel(form, "From number").sendKeys(number);
    browser.fieldByLabel(form, "To number").sendKeys(customer);
    browser.fieldByLabel(form, "Dynamic variables (JSON, optional)").sendKeys("[1, 2]");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> browser.fieldError(form, "dynamic_variables").contains("must be a JSON object"));
    browser.fieldByLabel(form, "Dynamic variables (JSON, optional)").clear();
    browser.fieldByLabel(form, "Dynamic variables (JSON, optional)").sendKeys("{\"first_name\": \"Ada\"}");
    form.findElement(By.cssSelector("button[type=submit]")).click();

    browser.waitForText(By.cssSelector(".transcript"), "This is the demo agent starting a conversation (turn 1)");
    assertThat(browser.driver().findElement(By.cssSelector(".chat-facts")).getText()).contains("ongoing", "first_name");
    String chatUrl = browser.driver().getCurrentUrl();

    browser.go("#/conversations");
    browser.visible(By.xpath("//button[normalize-space(.)='Make an outbound SMS']")).click();
    WebElement again = browser.visible(By.cssSelector("form.outbound-form"));
    browser.fieldByLabel(again, "From number").sendKeys(number);
    browser.fieldByLabel(again, "To number").sendKeys(customer);
    again.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.cssSelector("form.outbound-form .form-error"), "already has an ongoing chat");
    again.findElement(By.linkText("Open that chat")).click();
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(chatUrl);

    browser.visible(By.xpath("//button[normalize-space(.)='End chat']")).click();
    browser.waitForText(By.cssSelector(".chat-facts"), "ended");
  }
}
