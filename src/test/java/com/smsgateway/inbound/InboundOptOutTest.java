package com.smsgateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole-message compliance keywords: opt-out and opt-in per (our number, customer), HELP recorded, none dispatched. */
class InboundOptOutTest {
  private static final String AGENT = "+14155550199";
  private static final RecordingHandler handler = new RecordingHandler("test_chat", AGENT);
  private static int customers;

  @RegisterExtension
  static final RunningGateway gateway = new RunningGateway(TestGateway.forClass(InboundOptOutTest.class).withInboundHandler(handler));
  private static final TwilioInboundClient twilio = new TwilioInboundClient(gateway);

  /** A customer of its own per test, so tests never see each other's opt-outs. */
  private static synchronized String newCustomer() {
    return "+1415555%04d".formatted(++customers);
  }

  private static String text(String from, String body) {
    String sid = TwilioInboundClient.newSid();
    assertThat(twilio.post(TwilioInboundClient.sms(sid, from, AGENT, body)).statusCode()).isEqualTo(200);
    return sid;
  }

  /** Keyword texts are settled when stored and never handed off; a later ordinary text being offered shows dispatch runs. */
  private static void assertNeverOffered(String keywordSid, String customer) {
    String later = text(customer, "an ordinary text");
    Await.until("the later text is offered", () -> handler.offersOf(later).size() == 1);
    assertThat(handler.offersOf(keywordSid)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"STOP", " stop ", "Stop", "stopall", "UNSUBSCRIBE", "cancel", "End", "quit\n"})
  void anOptOutKeywordOptsTheCustomerOutOfThatNumber(String body) {
    String customer = newCustomer();

    String sid = text(customer, body);

    assertThat(StoredInbound.optedOut(gateway, AGENT, customer)).contains(true);
    assertThat(gateway.gateway().services().optOuts().isOptedOut(AGENT, customer).await()).isTrue();
    JsonObject row = StoredInbound.row(gateway, sid).orElseThrow();
    assertThat(row.getString("dispatch_state")).isEqualTo("opt_out");
    assertThat(row.getString("keyword")).isEqualTo(body.strip().toUpperCase());
    assertThat(row.getString("body")).isEqualTo(body);
  }

  @Test
  void anOptOutTextIsNeverOfferedToHandlers() {
    String customer = newCustomer();

    String sid = text(customer, "STOP");

    assertNeverOffered(sid, customer);
  }

  @Test
  void anOptOutOnlyConcernsTheNumberItWasSentTo() {
    String customer = newCustomer();

    text(customer, "STOP");

    assertThat(gateway.gateway().services().optOuts().isOptedOut("+14155550188", customer).await()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "yes", " Unstop "})
  void anOptInKeywordOptsTheCustomerBackIn(String body) {
    String customer = newCustomer();
    text(customer, "STOP");

    String sid = text(customer, body);

    assertThat(StoredInbound.optedOut(gateway, AGENT, customer)).contains(false);
    assertThat(StoredInbound.dispatchState(gateway, sid)).isEqualTo("opt_in");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HELP", "info"})
  void helpIsRecordedWithoutChangingTheOptOut(String body) {
    String customer = newCustomer();
    double before = StoredInbound.counter(gateway, "gateway.inbound.opt_out_keywords", "keyword", body.toUpperCase());

    String sid = text(customer, body);

    JsonObject row = StoredInbound.row(gateway, sid).orElseThrow();
    assertThat(row.getString("dispatch_state")).isEqualTo("help");
    assertThat(row.getString("keyword")).isEqualTo(body.toUpperCase());
    assertThat(StoredInbound.optedOut(gateway, AGENT, customer)).isEmpty();
    assertThat(StoredInbound.counter(gateway, "gateway.inbound.opt_out_keywords", "keyword", body.toUpperCase())).isEqualTo(before + 1);
  }

  @Test
  void aKeywordInsideASentenceIsAnOrdinaryText() {
    String customer = newCustomer();

    String sid = text(customer, "Please stop by at 5");

    assertThat(StoredInbound.optedOut(gateway, AGENT, customer)).isEmpty();
    Await.until("the text is dispatched", () -> "dispatched".equals(StoredInbound.dispatchState(gateway, sid)));
  }

  @Test
  void aRetriedStopAfterAStartDoesNotOptOutAgain() {
    String customer = newCustomer();
    String stopSid = TwilioInboundClient.newSid();
    var stop = TwilioInboundClient.sms(stopSid, customer, AGENT, "STOP");
    twilio.post(stop);
    text(customer, "START");

    assertThat(twilio.post(stop).statusCode()).isEqualTo(200);

    assertThat(StoredInbound.optedOut(gateway, AGENT, customer)).contains(false);
  }
}
