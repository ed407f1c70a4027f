package com.smsgateway.chats;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.inbound.OptOutListener;
import com.smsgateway.outbound.OutboundFeature;
import com.smsgateway.webhooks.WebhookSecretRoutes;
import com.smsgateway.webhooks.WebhookSecrets;
import com.smsgateway.webhooks.WebhookUrlGuard;
import com.smsgateway.work.ReplicaId;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-way SMS conversations (DESIGN.md §7), assembled: the chat inbound handler (after the call-session handler), the
 * STOP listener, the chats API and webhook-secret route, and the leased chat work (webhook decisions, agent turns,
 * silence) that any replica may pick up.
 */
public final class ChatsFeature implements Feature {
  private static final Logger log = LoggerFactory.getLogger(ChatsFeature.class);

  private final Services services;
  private final ChatsConfig config;
  private final ChatStore store;
  private final ChatMessages messages;
  private final ChatMetrics metrics;
  private final ChatReplies replies;
  private final OutboundFeature outbound;
  private final WebhookSecrets secrets;
  private final WebhookUrlGuard guard;

  private ChatsFeature(Services services, OutboundFeature outbound, ChatsConfig config, WebhookUrlGuard.Resolver resolver) {
    this.services = services;
    this.outbound = outbound;
    this.config = config;
    this.store = new ChatStore(services.pg());
    this.messages = new ChatMessages(services.pg(), services.messages());
    this.metrics = new ChatMetrics(services.registry());
    this.replies = new ChatReplies(outbound.pipeline(), outbound.workspaceSendingNumbers());
    this.secrets = new WebhookSecrets(services.pg());
    this.guard = new WebhookUrlGuard(services.vertx(), services.twilioConfig().sandbox(), resolver);
  }

  /** Reads {@code chat_agents.*} and {@code chats.*}; a bad value fails here, before the gateway serves. */
  public static ChatsFeature create(Services services, OutboundFeature outbound) {
    ChatsFeature feature = new ChatsFeature(services, outbound, ChatsConfig.from(services.config().source()), WebhookUrlGuard.SYSTEM_RESOLVER);
    if (feature.config.agentUrl().isEmpty()) {
      log.warn("No chat_agents.url (GATEWAY_CHAT_AGENTS_URL): chats are started and their texts kept, agents are not asked");
    }
    return feature;
  }

  @Override
  public String name() {
    return "chats";
  }

  @Override
  public List<Routes> routes() {
    return List.of(
        new ChatRoutes(store, messages, outbound.workspaceSendingNumbers(), services.optOuts(), metrics, services.vertx()),
        new WebhookSecretRoutes(secrets));
  }

  @Override
  public List<InboundHandler> inboundHandlers() {
    return List.of(new ChatInboundHandler(store, messages, services.optOuts(), metrics, services.vertx(), config.numberSettingsCacheTtl()));
  }

  /** STOP ends the pair's open chat, in the transaction that stores the STOP. */
  public OptOutListener optOutListener() {
    return (tx, ourNumber, customer) -> store.endForOptOut(tx, ourNumber, customer).map(counts -> {
      counts.forEach(count -> metrics.ended(ChatWork.END_OPTED_OUT, count));
      return null;
    });
  }

  @Override
  public List<Deployable> workers() {
    Clock clock = Clock.systemUTC();
    WebClient client = WebClient.create(services.vertx(), new WebClientOptions().setUserAgent("sms-gateway").setForceSni(true)
        // A redirect could lead a webhook call past the SSRF guard: answers are taken as they come.
        .setFollowRedirects(false)
        .setConnectTimeout((int) Math.max(config.agentTimeout().toMillis(), config.webhookTimeout().toMillis())),
        // One connection per chat worked on at once: agents answer slowly (an LLM), and each turn holds a connection.
        new PoolOptions().setHttp1MaxSize(config.batchSize()));
    ChatWork work = new ChatWork(store, messages, new ChatAgentClient(client, config, metrics, clock),
        new InboundWebhookClient(client, guard, secrets, config, metrics, clock), replies, metrics, config, clock);
    return List.of(
        new ChatWorkWorker(work, config, services.registry(), clock),
        new SilenceWorker(silenceSweep(clock), config, services.registry(), clock));
  }

  /** One pass of the silence rule with the given clock, as this replica (tests move time instead of waiting). */
  public Future<Integer> endSilentChats(Clock clock) {
    return silenceSweep(clock).sweepOnce(ReplicaId.of(services.vertx()));
  }

  private SilenceSweep silenceSweep(Clock clock) {
    return new SilenceSweep(store, messages, replies, metrics, config, clock);
  }
}
