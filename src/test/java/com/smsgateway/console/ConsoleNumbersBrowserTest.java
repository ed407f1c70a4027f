package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** SMS Numbers and Registration in a real browser (sandbox Twilio): buy, bring your own, settings, release, A2P. */
class ConsoleNumbersBrowserTest extends ConsoleBrowserTesting {
  private static final String BYO_ACCOUNT = "AC" + "c0501e".repeat(5) + "01";
  private static final String BYO_TOKEN = "console-test-token-0123456789abcdef";

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(
      TestGateway.forClass(ConsoleNumbersBrowserTest.class).with("GATEWAY_TWILIO_MODE", "sandbox"));

  @BeforeAll
  static void openBrowser() {
    startBrowser(running);
  }

  private static WebElement numbersPage() {
    return browser.visible(By.cssSelector(".page[data-page=numbers]"));
  }

  private static JsonArray numbersOf(String workspaceId) {
    var list = http.get("/v1/sms-numbers?workspace_id=" + workspaceId, ADMIN);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    return list.bodyAsJsonObject().getJsonArray("sms_numbers");
  }

  @Test
  void aNumberIsPurchasedByAreaCode() {
    String workspace = "ws_console_buy";
    browser.signIn(ADMIN);
    browser.openWorkspace(workspace);
    numbersPage();
    browser.driver().findElement(By.xpath("//button[normalize-space(.)='+ Purchase SMS Number']")).click();
    WebElement search = browser.visible(By.cssSelector("form.purchase-search"));
    browser.fieldByLabel(search, "Agent").sendKeys("agent_sales");

    browser.fieldByLabel(search, "Area code").sendKeys("012");
    search.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> !browser.fieldError(search, "area_code").isEmpty());
    assertThat(browser.fieldError(search, "area_code")).contains("area code");

    WebElement areaCode = browser.fieldByLabel(search, "Area code");
    areaCode.clear();
    areaCode.sendKeys("415");
    search.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement buy = browser.visible(By.cssSelector("form.purchase-buy"));
    WebElement chosen = buy.findElement(By.cssSelector("input[type=radio]:checked"));
    String number = chosen.getAttribute("value");
    assertThat(number).startsWith("+1415");
    buy.findElement(By.cssSelector("button[type=submit]")).click();

    browser.waitForText(By.cssSelector(".page[data-page=numbers] .notice"), "Bought " + number);
    browser.waitForText(By.cssSelector(".page[data-page=numbers] table"), number);
    assertThat(numbersPage().getText()).contains("Cannot send yet", "complete Registration");
    assertThat(numbersPage().findElement(By.linkText("Open Registration")).getDomAttribute("href")).isEqualTo("#/registration");
    assertThat(numbersOf(workspace).stream().map(n -> ((JsonObject) n).getString("phone_number"))).containsExactly(number);
  }

  @Test
  void bringingYourOwnNumberWithAWrongTokenShowsWhatIsWrongThenTheRightOneAddsIt() {
    String workspace = "ws_console_byo";
    String number = freshNumber();
    var account = http.postJson("/sandbox/accounts", ADMIN, new JsonObject().put("account_sid", BYO_ACCOUNT).put("auth_token", BYO_TOKEN)
        .put("phone_numbers", new JsonArray().add(new JsonObject().put("phone_number", number).put("sms_capable", true))));
    assertThat(account.statusCode()).as(account.bodyAsString()).isIn(200, 201);
    browser.signIn(workspaceKey(workspace));
    numbersPage();
    browser.driver().findElement(By.xpath("//button[normalize-space(.)='Setup SMS Function']")).click();
    WebElement form = browser.visible(By.cssSelector("form.byo"));
    browser.fieldByLabel(form, "Phone number (E.164)").sendKeys(number);
    browser.fieldByLabel(form, "Account SID").sendKeys(BYO_ACCOUNT);
    browser.fieldByLabel(form, "Agent").sendKeys("agent_byo");

    browser.fieldByLabel(form, "Auth Token").sendKeys("wrong-token");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> form.getText().contains("Twilio did not accept this Account SID and Auth Token"));
    assertThat(browser.fieldByLabel(form, "Auth Token").getAttribute("value")).isEmpty();
    assertThat(numbersOf(workspace)).isEmpty();

    browser.fieldByLabel(form, "Auth Token").sendKeys(BYO_TOKEN);
    form.findElement(By.cssSelector("button[type=submit]")).click();

    browser.waitForText(By.cssSelector(".page[data-page=numbers] .notice"), number + " is set up");
    browser.waitForText(By.cssSelector(".page[data-page=numbers] table"), "Your own Twilio number");
    assertThat(browser.driver().getPageSource()).doesNotContain(BYO_TOKEN);
  }

  @Test
  void aWorkspaceKeyDoesNotSeeAnotherWorkspacesNumbers() {
    String own = enabledNumber("ws_console_mine");
    String other = enabledNumber("ws_console_theirs");

    browser.signIn(workspaceKey("ws_console_mine"));

    browser.waitForText(By.cssSelector(".page[data-page=numbers] table"), own);
    assertThat(numbersPage().getText()).doesNotContain(other);
    browser.go("#/numbers/" + other);
    browser.waitForText(By.cssSelector(".page[data-page=numbers] .notice.error"), "not found");
    assertThat(numbersPage().getText()).doesNotContain("ws_console_theirs");
  }

  @Test
  void aChatAgentIsAttachedAndDetachedAndTheNumberReleasedAfterConfirming() {
    String workspace = "ws_console_settings";
    String number = enabledNumber(workspace);
    browser.signIn(workspaceKey(workspace));
    browser.visible(By.linkText(number)).click();
    WebElement form = browser.visible(By.cssSelector("form.number-settings"));

    browser.fieldByLabel(form, "Chat agent").sendKeys("agent_chat_console");
    browser.fieldByLabel(form, "End a chat after silence (seconds)").sendKeys("60");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> !browser.fieldError(browser.driver().findElement(By.cssSelector("form.number-settings")), "end_after_silence").isEmpty());
    WebElement silence = browser.fieldByLabel(browser.driver().findElement(By.cssSelector("form.number-settings")), "End a chat after silence (seconds)");
    silence.clear();
    silence.sendKeys("600");
    browser.driver().findElement(By.cssSelector("form.number-settings button[type=submit]")).click();
    browser.waitForText(By.cssSelector(".number-facts"), "agent_chat_console");
    assertThat(http.get("/v1/sms-numbers/" + number, ADMIN).bodyAsJsonObject().getString("chat_agent_id")).isEqualTo("agent_chat_console");

    browser.driver().findElement(By.cssSelector("form.number-settings button.detach")).click();
    browser.waitForText(By.cssSelector(".number-facts"), "none: texts outside calls are kept");
    assertThat(http.get("/v1/sms-numbers/" + number, ADMIN).bodyAsJsonObject().getValue("chat_agent_id")).isNull();

    browser.driver().findElement(By.xpath("//button[normalize-space(.)='Release this number']")).click();
    WebElement confirm = browser.visible(By.cssSelector(".confirm"));
    assertThat(confirm.getText()).contains("Release " + number + "?");
    confirm.findElement(By.cssSelector("button.danger")).click();
    browser.visible(By.cssSelector(".page[data-page=numbers] .filters"));
    assertThat(http.get("/v1/sms-numbers/" + number, ADMIN).statusCode()).isEqualTo(404);
  }

  private static WebElement step(int number) {
    return browser.visible(By.cssSelector(".step[data-step='" + number + "']"));
  }

  private static void approve(int stepNumber) {
    step(stepNumber).findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    browser.waitForText(By.cssSelector(".step[data-step='" + stepNumber + "'] .step-state"), "Approved");
  }

  /** The whole A2P path in the console, with the sandbox review buttons an admin sees standing in for the carriers. */
  @Test
  void registrationGoesFromProfileToAnEnabledNumber() {
    String workspace = "ws_console_a2p";
    String number = freshNumber();
    var imported = http.putJson("/v1/sms-numbers/" + number, ADMIN,
        new JsonObject().put("type", "platform").put("workspace_id", workspace).put("agent_id", "agent_a2p"));
    assertThat(imported.bodyAsJsonObject().getString("sms_status")).isEqualTo("a2p_required");
    browser.signIn(ADMIN);
    browser.openWorkspace(workspace);
    browser.go("#/registration");

    WebElement profile = step(1).findElement(By.cssSelector("form.profile-form"));
    browser.fieldByLabel(profile, "Legal name").sendKeys("Console Test Inc.");
    browser.fieldByLabel(profile, "EIN").sendKeys("123456789");
    browser.fieldByLabel(profile, "Street").sendKeys("1 Market St");
    browser.fieldByLabel(profile, "City").sendKeys("San Francisco");
    browser.fieldByLabel(profile, "State").sendKeys("CA");
    browser.fieldByLabel(profile, "ZIP code").sendKeys("94105");
    browser.fieldByLabel(profile, "Website").sendKeys("https://example.com");
    browser.fieldByLabel(profile, "Contact email").sendKeys("a2p@example.com");
    browser.fieldByLabel(profile, "Contact phone").sendKeys("+14155550100");
    profile.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> !browser.fieldError(profile, "ein").isEmpty());
    WebElement ein = browser.fieldByLabel(profile, "EIN");
    ein.clear();
    ein.sendKeys("12-3456789");
    profile.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.cssSelector(".step[data-step='1'] .step-state"), "Pending review");
    approve(1);

    WebElement brand = step(2).findElement(By.cssSelector("form.brand-form"));
    assertThat(brand.getText()).contains("6,000", "$4", "$45", "cannot be changed");
    brand.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.cssSelector(".step[data-step='2'] .step-state"), "Pending review");
    approve(2);

    WebElement campaign = step(3).findElement(By.cssSelector("form.campaign-form"));
    browser.fieldByLabel(campaign, "Description").sendKeys("Appointment reminders for our customers.");
    browser.fieldByLabel(campaign, "Sample messages").sendKeys("Your appointment is tomorrow at 10am.\nReply STOP to opt out.");
    browser.fieldByLabel(campaign, "How people opt in").sendKeys("Customers tick a box when they book online.");
    campaign.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.cssSelector(".step[data-step='3']"), "Pending review");
    step(3).findElement(By.xpath(".//article//button[normalize-space(.)='Approve']")).click();

    browser.waitForText(By.cssSelector(".step[data-step='3']"), "A campaign is approved");
    browser.waitForText(By.cssSelector(".fees-total"), "$19.00");
    browser.screenshot("registrationGoesFromProfileToAnEnabledNumber-registered");
    browser.go("#/numbers");
    browser.waitForText(By.cssSelector(".page[data-page=numbers] table"), "Can send and receive");
    assertThat(http.get("/v1/sms-numbers/" + number, ADMIN).bodyAsJsonObject().getString("sms_status")).isEqualTo("enabled");
  }
}
