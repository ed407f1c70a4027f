package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** Conversations in a real browser: a chat agent answers texts, the transcript updates itself, Create Outbound SMS. */
@Disabled("needs the chats API of issue 11 (POST/GET /v1/sms-chats, branch chats), not on main yet")
class ConsoleConversationsBrowserTest extends ConsoleBrowserTesting {
  private static final Vertx AGENT_VERTX = Vertx.vertx();
  /** A chat agent that echoes the customer's last text with the turn number (as the dev mode's demo agent does). */
  private static final HttpServer AGENT = Await.result(AGENT_VERTX.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(body -> {
        JsonObject turn = body.toJsonObject();
        List<JsonObject> messages = turn.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
        List<String> userTexts = messages.stream().filter(m -> "user".equals(m.getString("role"))).map(m -> m.getString("content")).toList();
        long turnNumber = messages.stream().filter(m -> "agent".equals(m.getString("role"))).count() + 1;
        String reply = "echo: " + (userTexts.isEmpty() ? "(first message)" : userTexts.get(userTexts.size() - 1)) + " (turn " + turnNumber + ")";
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("responses", new JsonArray().add(new JsonObject().put("content", reply))).put("end_chat", false).encode());
      }))
      .listen(0, "127.0.0.1"));

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ConsoleConversationsBrowserTest.class)
      .with("GATEWAY_TWILIO_MODE", "sandbox")
      .with("GATEWAY_CHAT_AGENTS_URL", "http://127.0.0.1:" + AGENT.actualPort() + "/turn")
      .with("GATEWAY_CHAT_AGENTS_SECRET", "console-test-chat-agent-secret"));

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
    browser.waitForText(By.cssSelector(".transcript"), "echo: " + XSS + " (turn 1)");
    WebElement customerText = browser.driver().findElement(By.cssSelector(".transcript .text.incoming .text-body"));
    assertThat(customerText.getText()).isEqualTo(XSS);
    assertThat(browser.driver().findElements(By.cssSelector(".transcript img"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    browser.waitForText(By.cssSelector(".transcript .text.outgoing .text-status"), "delivered");

    http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", number).put("body", "second text"));
    browser.waitForText(By.cssSelector(".transcript"), "echo: second text (turn 2)");
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

    browser.waitForText(By.cssSelector(".transcript"), "echo: (first message) (turn 1)");
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
