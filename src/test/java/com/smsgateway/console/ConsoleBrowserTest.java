package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** The console in a real browser against a real gateway (sandbox mode): sign-in, the pool, calls, usage, safety. */
class ConsoleBrowserTest extends ConsoleBrowserTesting {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(
      TestGateway.forClass(ConsoleBrowserTest.class).with("GATEWAY_TWILIO_MODE", "sandbox"));

  @BeforeAll
  static void openBrowser() {
    startBrowser(running);
  }

  @Test
  void anAdminSignsInAndSeesEveryPageIncludingThePool() {
    browser.signIn(ADMIN);

    assertThat(browser.visible(By.id("identity")).getText()).contains("admin key");
    List<String> pages = browser.driver().findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    assertThat(pages).containsExactly("SMS Numbers", "Registration", "Conversations", "Calls", "Usage", "Pool");
    assertThat(browser.driver().getCurrentUrl()).doesNotContain(ADMIN);
    assertThat(browser.driver().findElement(By.id("api-key")).getDomAttribute("name"))
        .as("a key field without a name: a form submitted without the script carries no key").isNull();
    assertThat(browser.script("return sessionStorage.getItem('sms-console.api-key')")).isEqualTo(ADMIN);
    assertThat((List<?>) browser.script("return performance.getEntriesByType('resource').map((entry) => entry.name)"))
        .as("every URL the page requested").isNotEmpty().noneSatisfy(url -> assertThat(url.toString()).contains(ADMIN));
    assertThat(browser.driver().manage().getCookies()).isEmpty();
  }

  @Test
  void aWrongKeyIsRefusedInWordsNextToTheKeyField() {
    browser.visible(By.id("api-key")).sendKeys("not-a-key");
    browser.driver().findElement(By.cssSelector("#sign-in-form button")).click();

    browser.waitForText(By.id("api-key-error"), "unknown or revoked");
    assertThat(browser.driver().findElement(By.id("api-key")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    assertThat(browser.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
  }

  @Test
  void signingOutForgetsTheKeyAndEverythingShown() {
    browser.signIn(ADMIN);
    browser.openWorkspace("ws_console_signout");
    browser.visible(By.cssSelector(".page[data-page=numbers]"));

    browser.driver().findElement(By.id("sign-out")).click();

    browser.visible(By.id("api-key"));
    assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
    assertThat(browser.driver().manage().getCookies()).isEmpty();
    assertThat(browser.driver().findElements(By.cssSelector("#page > *"))).isEmpty();
    browser.driver().navigate().refresh();
    assertThat(browser.visible(By.id("api-key")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("sign-out")).isDisplayed()).isFalse();
  }

  @Test
  void theKeyboardAloneSignsInAndMovesBetweenPages() {
    WebElement key = browser.visible(By.id("api-key"));
    assertThat(browser.driver().switchTo().activeElement()).isEqualTo(key);
    key.sendKeys(ADMIN, Keys.ENTER);
    browser.visible(By.id("sign-out"));
    WebElement poolLink = browser.driver().findElement(By.cssSelector("#nav a[data-page=pool]"));

    poolLink.sendKeys(Keys.ENTER);

    WebElement heading = browser.visible(By.cssSelector(".page[data-page=pool] h1"));
    assertThat(poolLink.getAttribute("aria-current")).isEqualTo("page");
    assertThat(browser.driver().switchTo().activeElement()).as("focus moves to the new page's heading").isEqualTo(heading);
  }

  @Test
  void anAdminAddsAPoolNumberAndRemovesItAfterConfirming() {
    String number = freshNumber();
    browser.signIn(ADMIN);
    browser.go("#/pool");
    WebElement form = browser.visible(By.cssSelector(".page[data-page=pool] form"));

    browser.fieldByLabel(form, "Phone number (E.164)").sendKeys("+4420794601");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitUntil(d -> !browser.fieldError(form, "phone_number").isEmpty());
    assertThat(browser.fieldError(form, "phone_number")).contains("outside the US");

    WebElement input = browser.fieldByLabel(form, "Phone number (E.164)");
    input.clear();
    input.sendKeys(number);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.cssSelector(".page[data-page=pool] table"), number);

    browser.driver().findElement(By.cssSelector("button[aria-label='Remove " + number + " from the pool']")).click();
    WebElement confirm = browser.visible(By.cssSelector(".confirm"));
    assertThat(confirm.getText()).contains("Remove " + number + " from the pool?");
    browser.screenshot("anAdminAddsAPoolNumberAndRemovesItAfterConfirming-asked");
    assertThat(http.get("/v1/pool-numbers", ADMIN).bodyAsString()).contains(number);
    confirm.findElement(By.cssSelector("button.danger")).click();

    browser.waitForText(By.cssSelector(".page[data-page=pool] .notice"), number + " was removed");
    assertThat(http.get("/v1/pool-numbers", ADMIN).bodyAsString()).doesNotContain(number);
  }

  /** A customer's text is shown as the characters it is: nothing in it runs or becomes markup. */
  @Test
  void aCallsTextsShowBothDirectionsAndAnHtmlTextRendersInert() {
    String workspace = "ws_console_calls";
    String agentNumber = enabledNumber(workspace);
    String customer = freshNumber();
    String callId = registeredCall(workspace, agentNumber, customer).getString("call_id");
    var sent = http.postJson("/v1/calls/" + callId + "/sms", ADMIN, new JsonObject().put("content", "Your link: https://example.com/pay"));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);

    browser.signIn(ADMIN);
    browser.openWorkspace(workspace);
    browser.go("#/calls");
    browser.visible(By.linkText(callId)).click();
    browser.waitForText(By.cssSelector(".transcript"), "Your link: https://example.com/pay");

    var reply = http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", agentNumber).put("body", XSS));
    assertThat(reply.statusCode()).as(reply.bodyAsString()).isEqualTo(200);

    // Arrives without a reload (the page polls).
    browser.waitForText(By.cssSelector(".transcript"), XSS);
    WebElement incoming = browser.driver().findElement(By.cssSelector(".transcript .text.incoming .text-body"));
    assertThat(incoming.getText()).isEqualTo(XSS);
    assertThat(browser.driver().findElements(By.cssSelector(".transcript img"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    browser.waitForText(By.cssSelector(".transcript .text.outgoing .text-status"), "delivered");
  }

  @Test
  void aWorkspaceKeySeesOnlyItsOwnWorkspacesCalls() {
    String own = registeredCall("ws_console_own", freshNumber(), freshNumber()).getString("call_id");
    String other = registeredCall("ws_console_other", freshNumber(), freshNumber()).getString("call_id");

    browser.signIn(workspaceKey("ws_console_own"));
    browser.go("#/calls");

    browser.visible(By.linkText(own));
    assertThat(browser.driver().findElement(By.id("identity")).getText()).contains("workspace ws_console_own");
    assertThat(browser.driver().findElement(By.id("workspace-form")).isDisplayed()).isFalse();
    assertThat(browser.driver().findElement(By.cssSelector("#nav a[data-page=pool]")).isDisplayed()).isFalse();
    assertThat(browser.driver().findElement(By.id("page")).getText()).doesNotContain(other);
    browser.go("#/calls/" + other);
    browser.visible(By.cssSelector(".notice.error"));
    assertThat(browser.driver().findElement(By.id("page")).getText()).contains("not found");
  }

  @Test
  void usageShowsTheBrandsBudgetsAsBarsAgainstTheirCapsAndThePoolInUse() {
    String workspace = "ws_console_usage";
    String from = enabledNumber(workspace);
    var sent = http.postJson("/v1/messages", ADMIN, new JsonObject().put("workspace_id", workspace).put("from_number", from)
        .put("to_number", freshNumber()).put("body", "Usage check"));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);

    browser.signIn(ADMIN);
    browser.openWorkspace(workspace);
    browser.go("#/usage");

    browser.waitForText(By.cssSelector("[data-brand-id='workspace-" + workspace + "']"), "1 of 6,000 segments");
    List<String> meters = browser.driver().findElements(By.cssSelector("[data-brand-id='workspace-" + workspace + "'] [role=meter]"))
        .stream().map(meter -> meter.getAttribute("aria-valuetext")).toList();
    assertThat(meters).hasSize(3).contains("1 of 6,000").anySatisfy(text -> assertThat(text).endsWith(" of 2,000"));
    assertThat(browser.driver().findElement(By.cssSelector(".page[data-page=usage]")).getText())
        .contains("Today, all carriers", "Today, to T-Mobile", "daily budgets reset", "hold a pool number");
  }

  @Test
  void aNarrowWindowShowsTablesAsLabelledCards() {
    String workspace = "ws_console_narrow";
    String callId = registeredCall(workspace, freshNumber(), freshNumber()).getString("call_id");
    browser.resize(390, 844);

    browser.signIn(ADMIN);
    browser.openWorkspace(workspace);
    browser.go("#/calls");

    WebElement link = browser.visible(By.linkText(callId));
    assertThat(link.findElement(By.xpath("./ancestor::td")).getAttribute("data-label")).isEqualTo("Call");
    long pageWidth = (Long) browser.script("return document.documentElement.scrollWidth");
    long viewport = (Long) browser.script("return document.documentElement.clientWidth");
    assertThat(pageWidth).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
  }

  /** The console's error rendering on its own: a field's error goes under that field, a 429 says when to retry. */
  @Test
  @SuppressWarnings("unchecked")
  void anErrorIsShownNextToItsFieldAndALimitSaysWhenToRetry() {
    browser.signIn(ADMIN);
    List<String> shown = (List<String>) browser.driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        Promise.all([import('./js/dom.js'), import('./js/api.js')]).then(([dom, api]) => {
          const form = dom.h('form', {}, dom.field({ label: 'To number', name: 'to_number' }), dom.field({ label: 'Body', name: 'body' }));
          document.getElementById('page').append(form);
          dom.showError(form, new api.ApiError(422, { code: 'invalid_field', field: 'body', message: "'body' is required" }));
          const lines = () => Array.from(form.querySelectorAll('.field-error'), (line) => line.textContent);
          const underBody = [form.querySelector('[name=body]').getAttribute('aria-invalid'), ...lines()].join('|');
          const retryAt = new Date(Date.now() + 45000);
          dom.showError(form, new api.ApiError(429, { code: 'segment_limit_exceeded', message: 'The daily limit is reached.', retry_at: retryAt.toISOString() }));
          const banner = form.querySelector('.form-error').textContent;
          const afterLimit = lines().join('|');
          form.remove();
          done([underBody, banner, afterLimit, dom.formatTime(retryAt)]);
        }, (e) => done(['import failed: ' + e]));
        """);

    assertThat(shown.get(0)).isEqualTo("true||'body' is required");
    assertThat(shown.get(1)).isEqualTo("The daily limit is reached. Try again at " + shown.get(3) + " (in 45 s).");
    assertThat(shown.get(2)).as("the earlier field error is cleared").isEqualTo("|");
  }

  /** A voice-platform operator's key handles calls of any workspace, and nothing else. */
  @Test
  void aVoicePlatformKeySeesTheCallsOfTheWorkspaceItOpens() {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "voice_platform"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String callId = registeredCall("ws_console_voice", freshNumber(), freshNumber()).getString("call_id");

    browser.signIn(created.bodyAsJsonObject().getString("key"));
    browser.openWorkspace("ws_console_voice");

    browser.visible(By.linkText(callId));
    assertThat(browser.driver().findElement(By.id("identity")).getText()).contains("voice platform key");
    List<String> pages = browser.driver().findElements(By.cssSelector("#nav a")).stream()
        .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
    assertThat(pages).containsExactly("Calls");
    browser.go("#/numbers");
    assertThat(browser.visible(By.cssSelector(".page[data-page=calls] h1")).getText()).isEqualTo("Calls");
  }
}
