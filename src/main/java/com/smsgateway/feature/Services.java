package com.smsgateway.feature;

import com.smsgateway.config.GatewayConfig;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.twilio.TwilioAccounts;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/**
 * The shared infrastructure of one replica, handed to the features the composition root builds; {@code apiAuth}
 * resolves the bearer API key of a request (the edge puts it before {@code /v1/**}).
 */
public record Services(
    Vertx vertx,
    GatewayConfig config,
    PrometheusMeterRegistry registry,
    Pool pg,
    Redis redis,
    Handler<RoutingContext> apiAuth,
    TwilioConfig twilioConfig,
    TwilioAccounts twilioAccounts,
    TwilioApi twilioApi,
    OptOutRegistry optOuts,
    MessageStore messages) {

  /** Where Twilio posts status callbacks for the messages we send. */
  public String statusCallbackUrl() {
    return config.publicBaseUrl() + "/twilio/status";
  }
}
