package com.smsgateway.twilio;

import com.smsgateway.work.Backoff;
import com.twilio.exception.TwilioException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.Local;
import com.twilio.type.PhoneNumber;
import com.smsgateway.dependency.Dependency;
import com.smsgateway.dependency.DependencyHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import com.smsgateway.logging.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Twilio operations the gateway needs. The SDK blocks, so every call runs on a virtual thread (never on
 * an event loop) and completes its {@link Future} on the caller's context. Failures are
 * {@link TwilioApiException}s; 429, 5xx and I/O failures are retried with exponential backoff and full
 * jitter (waiting on the virtual thread), other errors never. A send is the exception to the I/O rule: a lost
 * answer may hide a message Twilio accepted, so it fails at once and the outbound sender asks Twilio instead.
 */
public final class TwilioApi implements AutoCloseable {
  public static final String SEND_MESSAGE = "send_message";
  public static final String AVAILABLE_NUMBERS = "available_numbers";
  public static final String BUY_NUMBER = "buy_number";
  public static final String FETCH_ACCOUNT = "fetch_account";
  public static final String FIND_NUMBER = "find_number";
  public static final String UPDATE_NUMBER = "update_number";
  public static final String RELEASE_NUMBER = "release_number";
  public static final String CUSTOMER_PROFILE = "trusthub_customer_profile";
  public static final String TRUST_PRODUCT = "trusthub_trust_product";
  public static final String BRAND_REGISTRATION = "brand_registration";
  public static final String MESSAGING_SERVICE = "messaging_service";
  public static final String USA2P_CAMPAIGN = "usa2p_campaign";
  public static final String LOOKUP_CARRIER = "lookup_carrier";
  public static final String LIST_MESSAGES = "list_messages";
  public static final String FETCH_MESSAGE = "fetch_message";

  /** What Twilio said about a message it accepted; {@code errorCode} is set when it already failed. */
  public record SentMessage(String sid, String status, OptionalInt numSegments, OptionalInt errorCode) {}

  /** A message as Twilio lists it. */
  public record ListedMessage(String sid, String status, String body, Instant dateCreated, OptionalInt errorCode) {}

  /** A message's status as Twilio has it now; {@code errorCode} and {@code errorMessage} are set when it failed. */
  public record MessageState(String status, OptionalInt errorCode, String errorMessage) {}

  public record PurchasedNumber(String sid, String phoneNumber) {}

  /** A number Twilio offers for sale. */
  public record AvailableNumber(String phoneNumber, String friendlyName, String locality, String region) {}

  /** A number in an account (IncomingPhoneNumber) and whether it can send and receive SMS. */
  public record IncomingNumber(String sid, String phoneNumber, boolean smsCapable) {}

  /**
   * The recipient's carrier per Lookup's line type intelligence; {@code carrierName} and {@code lineType}
   * (mobile, landline, nonFixedVoip, …) are null when Twilio does not know them.
   */
  public record LineTypeIntelligence(String carrierName, String lineType, boolean tMobile) {}

  private final Vertx vertx;
  private final TwilioClients clients;
  private final TwilioConfig.Retry retry;
  /** Full jitter: retrying replicas spread out. */
  private final Backoff backoff;
  private final MeterRegistry registry;
  private final DependencyHealth health;
  /** Bounds the blocking requests in flight: virtual threads are cheap, Twilio's patience and our sockets are not. */
  private final Semaphore inFlight;
  private final TwilioConfig.Concurrency concurrency;
  private final Counter concurrencyRefused;
  private final ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("twilio-api-", 0).factory());

  /** Takes ownership of {@code clients}: {@link #close()} closes them. */
  public TwilioApi(Vertx vertx, TwilioClients clients, TwilioConfig.Retry retry, TwilioConfig.Concurrency concurrency,
                   MeterRegistry registry, DependencyHealth health) {
    this.vertx = vertx;
    this.clients = clients;
    this.retry = retry;
    this.backoff = retry.backoff();
    this.registry = registry;
    this.health = health;
    this.concurrency = concurrency;
    this.inFlight = new Semaphore(concurrency.maxConcurrentRequests(), true);
    Gauge.builder("gateway.twilio.api.in_flight", inFlight, s -> concurrency.maxConcurrentRequests() - s.availablePermits())
        .description("Blocking Twilio requests under way (bounded by twilio.max_concurrent_requests)")
        .register(registry);
    this.concurrencyRefused = Counter.builder("gateway.twilio.api.refused")
        .description("Twilio requests refused after waiting twilio.max_queue_wait for one of twilio.max_concurrent_requests")
        .register(registry);
  }

  public static TwilioApi create(Vertx vertx, TwilioConfig config, MeterRegistry registry, DependencyHealth health) {
    return new TwilioApi(vertx, new TwilioClients(TwilioHttpTransport.from(config)), config.retry(), config.concurrency(), registry, health);
  }

  /** Sends an SMS (or an MMS when {@code mediaUrls} is not empty); status callbacks go to {@code statusCallbackUrl}. */
  public Future<SentMessage> sendMessage(TwilioAccount account, String from, String to, String body, List<String> mediaUrls, String statusCallbackUrl) {
    return call(SEND_MESSAGE, account, false, client -> {
      var creator = Message.creator(account.accountSid(), new PhoneNumber(to), new PhoneNumber(from), body)
          .setStatusCallback(URI.create(statusCallbackUrl));
      if (!mediaUrls.isEmpty()) {
        creator.setMediaUrl(mediaUrls.stream().map(URI::create).toList());
      }
      Message message = creator.create(client);
      return new SentMessage(message.getSid(), message.getStatus() == null ? null : message.getStatus().toString(),
          message.getNumSegments() == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(message.getNumSegments())),
          message.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(message.getErrorCode()));
    });
  }

  /**
   * US local numbers in the area code that can send and receive SMS, at most {@code limit} (one page);
   * {@code contains} (null: any) is Twilio's pattern of digits and letters the number must contain.
   */
  public Future<List<AvailableNumber>> availableLocalNumbers(TwilioAccount account, int areaCode, String contains, int limit) {
    return call(AVAILABLE_NUMBERS, account, true, client -> {
      var reader = Local.reader(account.accountSid(), "US")
          .setAreaCode(areaCode)
          .setSmsEnabled(true)
          .setPageSize((long) limit);
      if (contains != null) {
        reader.setContains(contains);
      }
      return reader.firstPage(client).getRecords().stream()
          .limit(limit)
          .map(number -> new AvailableNumber(number.getPhoneNumber().toString(),
              number.getFriendlyName() == null ? null : number.getFriendlyName().toString(), number.getLocality(), number.getRegion()))
          .toList();
    });
  }

  /**
   * Buys the number into the account; Twilio posts its inbound texts to {@code smsUrl} (POST) and the number's
   * status callbacks to {@code statusCallbackUrl}.
   */
  public Future<PurchasedNumber> buyNumber(TwilioAccount account, String phoneNumber, String smsUrl, String statusCallbackUrl) {
    return call(BUY_NUMBER, account, false, client -> {
      IncomingPhoneNumber bought = IncomingPhoneNumber.creator(account.accountSid(), new PhoneNumber(phoneNumber))
          .setSmsUrl(URI.create(smsUrl))
          .setSmsMethod(HttpMethod.POST)
          .setStatusCallback(URI.create(statusCallbackUrl))
          .setStatusCallbackMethod(HttpMethod.POST)
          .create(client);
      return new PurchasedNumber(bought.getSid(), bought.getPhoneNumber().toString());
    });
  }

  /** The account's status ({@code active}, {@code suspended}, {@code closed}); a 401 means the credentials are wrong. */
  public Future<String> fetchAccount(TwilioAccount account) {
    return call(FETCH_ACCOUNT, account, true, client -> {
      var fetched = com.twilio.rest.api.v2010.Account.fetcher(account.accountSid()).fetch(client);
      return fetched.getStatus() == null ? null : fetched.getStatus().toString();
    });
  }

  /** The account's IncomingPhoneNumber for {@code phoneNumber}, if the account has it. */
  public Future<java.util.Optional<IncomingNumber>> findIncomingNumber(TwilioAccount account, String phoneNumber) {
    return call(FIND_NUMBER, account, true, client -> IncomingPhoneNumber.reader(account.accountSid())
        .setPhoneNumber(new PhoneNumber(phoneNumber))
        .setPageSize(20L)
        .firstPage(client)
        .getRecords().stream()
        .filter(number -> number.getPhoneNumber() != null && phoneNumber.equals(number.getPhoneNumber().toString()))
        .findFirst()
        .map(number -> new IncomingNumber(number.getSid(), number.getPhoneNumber().toString(),
            number.getCapabilities() != null && number.getCapabilities().getSms())));
  }

  /** Points the number's inbound texts at {@code smsUrl} (POST); an empty {@code smsUrl} clears it. */
  public Future<Void> updateSmsUrl(TwilioAccount account, String numberSid, String smsUrl) {
    return call(UPDATE_NUMBER, account, true, client -> {
      var updater = IncomingPhoneNumber.updater(account.accountSid(), numberSid).setSmsUrl(smsUrl);
      if (!smsUrl.isEmpty()) {
        updater.setSmsMethod(HttpMethod.POST);
      }
      updater.update(client);
      return null;
    });
  }

  /** Releases the number from the account (it is no longer the platform's). */
  public Future<Void> releaseNumber(TwilioAccount account, String numberSid) {
    return call(RELEASE_NUMBER, account, true, client -> {
      IncomingPhoneNumber.deleter(account.accountSid(), numberSid).delete(client);
      return null;
    });
  }

  /** A registration resource's sid and its review status at Twilio, with the reason when it failed. */
  public record Review(String sid, String status, Integer brandScore, String failureReason) {}

  /**
   * Creates a TrustHub bundle ({@code customerProfile}: a secondary customer profile; else an A2P trust product) for
   * the business and submits it for review; answers its sid.
   */
  public Future<String> submitTrustBundle(TwilioAccount account, boolean customerProfile, String friendlyName, String email, String policySid) {
    return call(customerProfile ? CUSTOMER_PROFILE : TRUST_PRODUCT, account, false, client -> {
      if (customerProfile) {
        String sid = com.twilio.rest.trusthub.v1.CustomerProfiles.creator(friendlyName, email, policySid).create(client).getSid();
        com.twilio.rest.trusthub.v1.CustomerProfiles.updater(sid)
            .setStatus(com.twilio.rest.trusthub.v1.CustomerProfiles.Status.PENDING_REVIEW).update(client);
        return sid;
      }
      String sid = com.twilio.rest.trusthub.v1.TrustProducts.creator(friendlyName, email, policySid).create(client).getSid();
      com.twilio.rest.trusthub.v1.TrustProducts.updater(sid)
          .setStatus(com.twilio.rest.trusthub.v1.TrustProducts.Status.PENDING_REVIEW).update(client);
      return sid;
    });
  }

  /** The TrustHub bundle's status ({@code twilio-approved}, {@code twilio-rejected}, {@code pending-review}, …). */
  public Future<Review> trustBundle(TwilioAccount account, boolean customerProfile, String sid) {
    return call(customerProfile ? CUSTOMER_PROFILE : TRUST_PRODUCT, account, true, client -> {
      Object status = customerProfile
          ? com.twilio.rest.trusthub.v1.CustomerProfiles.fetcher(sid).fetch(client).getStatus()
          : com.twilio.rest.trusthub.v1.TrustProducts.fetcher(sid).fetch(client).getStatus();
      return new Review(sid, status == null ? null : status.toString(), null, null);
    });
  }

  /** Registers an A2P brand; a low-volume brand skips the automatic secondary vetting. */
  public Future<String> createBrandRegistration(TwilioAccount account, String customerProfileSid, String a2pProfileSid, boolean lowVolume) {
    return call(BRAND_REGISTRATION, account, false, client -> com.twilio.rest.messaging.v1.BrandRegistration
        .creator(customerProfileSid, a2pProfileSid)
        .setBrandType(lowVolume ? "LOW_VOLUME_STANDARD" : "STANDARD")
        .setSkipAutomaticSecVet(lowVolume)
        .create(client)
        .getSid());
  }

  public Future<Review> brandRegistration(TwilioAccount account, String sid) {
    return call(BRAND_REGISTRATION, account, true, client -> {
      var brand = com.twilio.rest.messaging.v1.BrandRegistration.fetcher(sid).fetch(client);
      return new Review(sid, brand.getStatus() == null ? null : brand.getStatus().toString(), brand.getBrandScore(), brand.getFailureReason());
    });
  }

  /** A Messaging Service whose inbound texts and status callbacks go to the gateway. */
  public Future<String> createMessagingService(TwilioAccount account, String friendlyName, String inboundUrl, String statusCallbackUrl) {
    return call(MESSAGING_SERVICE, account, false, client -> com.twilio.rest.messaging.v1.Service.creator(friendlyName)
        .setInboundRequestUrl(URI.create(inboundUrl))
        .setInboundMethod(HttpMethod.POST)
        .setStatusCallback(URI.create(statusCallbackUrl))
        .create(client)
        .getSid());
  }

  /** Adds a number (its IncomingPhoneNumber sid) to the Messaging Service. */
  public Future<Void> addNumberToService(TwilioAccount account, String serviceSid, String phoneNumberSid) {
    return call(MESSAGING_SERVICE, account, true, client -> {
      com.twilio.rest.messaging.v1.service.PhoneNumber.creator(serviceSid, phoneNumberSid).create(client);
      return null;
    });
  }

  /** What an A2P campaign (Usa2p) is registered with. */
  public record CampaignRequest(String brandRegistrationSid, String description, String messageFlow, List<String> messageSamples,
                                String useCase, boolean hasEmbeddedLinks, boolean hasEmbeddedPhone, List<String> optInKeywords,
                                String optOutMessage, String helpMessage) {}

  public Future<String> createUsa2pCampaign(TwilioAccount account, String serviceSid, CampaignRequest campaign) {
    return call(USA2P_CAMPAIGN, account, false, client -> {
      var creator = com.twilio.rest.messaging.v1.service.UsAppToPerson.creator(serviceSid, campaign.brandRegistrationSid(),
          campaign.description(), campaign.messageFlow(), campaign.messageSamples(), campaign.useCase(),
          campaign.hasEmbeddedLinks(), campaign.hasEmbeddedPhone());
      if (campaign.optInKeywords() != null && !campaign.optInKeywords().isEmpty()) {
        creator.setOptInKeywords(campaign.optInKeywords());
      }
      if (campaign.optOutMessage() != null) {
        creator.setOptOutMessage(campaign.optOutMessage());
      }
      if (campaign.helpMessage() != null) {
        creator.setHelpMessage(campaign.helpMessage());
      }
      return creator.create(client).getSid();
    });
  }

  /** The campaign's status ({@code VERIFIED}, {@code FAILED}, {@code SUSPENDED}, {@code IN_PROGRESS}, …). */
  public Future<Review> usa2pCampaign(TwilioAccount account, String serviceSid, String sid) {
    return call(USA2P_CAMPAIGN, account, true, client -> {
      var campaign = com.twilio.rest.messaging.v1.service.UsAppToPerson.fetcher(serviceSid, sid).fetch(client);
      return new Review(sid, campaign.getCampaignStatus(), null,
          campaign.getErrors() == null || campaign.getErrors().isEmpty() ? null : campaign.getErrors().toString());
    });
  }

  public Future<LineTypeIntelligence> lookupCarrier(TwilioAccount account, String phoneNumber) {
    return call(LOOKUP_CARRIER, account, true, client -> {
      var line = com.twilio.rest.lookups.v2.PhoneNumber.fetcher(phoneNumber)
          .setFields("line_type_intelligence")
          .fetch(client)
          .getLineTypeIntelligence();
      String carrierName = line == null ? null : line.getCarrierName();
      return new LineTypeIntelligence(carrierName, line == null ? null : line.getType(),
          carrierName != null && carrierName.toLowerCase(Locale.ROOT).contains("t-mobile"));
    });
  }

  /** The newest messages of the account from {@code from} to {@code to} (Twilio lists newest first), one page. */
  public Future<List<ListedMessage>> recentMessages(TwilioAccount account, String from, String to, int pageSize) {
    return call(LIST_MESSAGES, account, true, client -> Message.reader(account.accountSid())
        .setFrom(new PhoneNumber(from))
        .setTo(new PhoneNumber(to))
        .setPageSize((long) pageSize)
        .firstPage(client)
        .getRecords().stream()
        .map(message -> new ListedMessage(message.getSid(),
            message.getStatus() == null ? null : message.getStatus().toString(),
            message.getBody(),
            message.getDateCreated() == null ? null : message.getDateCreated().toInstant(),
            message.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(message.getErrorCode())))
        .toList());
  }

  /** The message's current status, for when its status callbacks did not come. */
  public Future<MessageState> fetchMessage(TwilioAccount account, String sid) {
    return call(FETCH_MESSAGE, account, true, client -> {
      Message message = Message.fetcher(account.accountSid(), sid).fetch(client);
      return new MessageState(message.getStatus() == null ? null : message.getStatus().toString(),
          message.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(message.getErrorCode()),
          message.getErrorMessage());
    });
  }

  private <T> Future<T> call(String operation, TwilioAccount account, boolean retryIoFailures, Function<TwilioRestClient, T> sdkCall) {
    Context caller = vertx.getOrCreateContext();
    String requestId = RequestIds.forOutgoingCall();
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      virtualThreads.execute(() -> {
        try {
          if (!inFlight.tryAcquire(concurrency.maxWait().toMillis(), TimeUnit.MILLISECONDS)) {
            concurrencyRefused.increment();
            health.failed(Dependency.TWILIO, new TimeoutException("no free slot among " + concurrency.maxConcurrentRequests()));
            result.completeExceptionally(DependencyHealth.unavailable(Dependency.TWILIO));
            return;
          }
          try {
            result.complete(RequestIds.runWith(requestId, () -> withRetries(operation, retryIoFailures,
                () -> sdkCall.apply(clients.forAccount(account)))));
          } finally {
            inFlight.release();
          }
        } catch (Throwable failure) {
          result.completeExceptionally(failure);
        }
      });
    } catch (RejectedExecutionException closed) {
      return Future.failedFuture(new IllegalStateException("The Twilio API client is closed", closed));
    }
    return Future.fromCompletionStage(result, caller);
  }

  private <T> T withRetries(String operation, boolean retryIoFailures, Supplier<T> attempt) throws InterruptedException {
    for (int attemptNumber = 1; ; attemptNumber++) {
      long started = System.nanoTime();
      try {
        T answer = attempt.get();
        latency(operation, "success").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        health.answered(Dependency.TWILIO);
        return answer;
      } catch (TwilioApiException | TwilioException failed) {
        latency(operation, "error").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        TwilioApiException failure = failed instanceof TwilioApiException known
            ? known
            : TwilioApiException.unreadableAnswer("Twilio's answer could not be read: " + failed.getMessage(), failed);
        if (failure.retryable()) {
          health.failed(Dependency.TWILIO, failure);
        } else {
          health.answered(Dependency.TWILIO);
        }
        Counter.builder("gateway.twilio.api.errors")
            .description("Failed Twilio API attempts, by operation and HTTP status (io: no answer)")
            .tag("operation", operation)
            .tag("status", failure.ioFailure() ? "io" : Integer.toString(failure.httpStatus()))
            .register(registry)
            .increment();
        if (!failure.retryable() || (failure.ioFailure() && !retryIoFailures) || attemptNumber >= retry.maxAttempts()) {
          throw failure;
        }
        Counter.builder("gateway.twilio.api.retries")
            .description("Twilio API attempts repeated after a 429, 5xx or I/O failure")
            .tag("operation", operation)
            .register(registry)
            .increment();
        Thread.sleep(backoff.delay(attemptNumber).toMillis());
      }
    }
  }

  private Timer latency(String operation, String outcome) {
    return Timer.builder("gateway.twilio.api.latency")
        .description("Duration of each Twilio API attempt")
        .publishPercentileHistogram()
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Calls under way finish; new ones are refused. */
  @Override
  public void close() {
    virtualThreads.shutdown();
    clients.close();
  }
}
