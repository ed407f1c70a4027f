package com.smsgateway.numbers;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioApiException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a workspace does with its numbers (DESIGN.md §8): find numbers for sale, buy one, bring its own Twilio number,
 * and delete one. Twilio is asked first and the outcome stored after; a purchase is recorded before Twilio is asked,
 * so no number is ever bought twice.
 */
public final class NumberService {
  private static final Logger log = LoggerFactory.getLogger(NumberService.class);
  /**
   * Local event-bus address told of every platform number bought ({@code {workspace_id, phone_number, twilio_sid}}):
   * live-mode registration adds it to the workspace's Messaging Service.
   */
  public static final String BOUGHT_ADDRESS = "numbers.bought";
  /** Twilio: the number is not (any more) available for purchase. */
  private static final int NUMBER_NOT_AVAILABLE = 21422;
  /** How many offered numbers of an area code are tried when the first is taken meanwhile. */
  private static final int AREA_CODE_CANDIDATES = 5;

  private final io.vertx.core.Vertx vertx;
  private final SmsNumberStore numbers;
  private final ByoTwilioAccounts accounts;
  private final TwilioApi twilio;
  private final ActiveCallNumbers activeCalls;
  private final NumbersConfig config;
  private final NumberMetrics metrics;
  private final String smsUrl;
  private final String statusCallbackUrl;

  NumberService(io.vertx.core.Vertx vertx, SmsNumberStore numbers, ByoTwilioAccounts accounts, TwilioApi twilio, ActiveCallNumbers activeCalls,
                NumbersConfig config, NumberMetrics metrics, String publicBaseUrl) {
    this.vertx = vertx;
    this.numbers = numbers;
    this.accounts = accounts;
    this.twilio = twilio;
    this.activeCalls = activeCalls;
    this.config = config;
    this.metrics = metrics;
    this.smsUrl = publicBaseUrl + "/twilio/messages";
    this.statusCallbackUrl = publicBaseUrl + "/twilio/status";
  }

  public Future<List<TwilioApi.AvailableNumber>> available(int areaCode, String contains, int limit) {
    return twilio.availableLocalNumbers(accounts.platform(), areaCode, contains, limit).recover(NumberService::twilioFailure);
  }

  /** Buys {@code phoneNumber} for the workspace: 409 {@code number_exists}, {@code purchase_in_progress}, {@code number_unavailable}. */
  public Future<SmsNumber> buy(String phoneNumber, String workspaceId, String agentId) {
    return numbers.find(phoneNumber).compose(existing -> {
      if (existing.isPresent()) {
        return Future.failedFuture(DomainFailure.conflict("number_exists", phoneNumber + " is already a number of this gateway."));
      }
      return numbers.claimPurchase(phoneNumber, workspaceId, config.purchaseTimeout());
    }).compose(claimed -> {
      if (!claimed) {
        return Future.failedFuture(DomainFailure.conflict("purchase_in_progress",
            phoneNumber + " is being bought by another request; try again shortly."));
      }
      return purchase(phoneNumber)
          .compose(twilioSid -> numbers.recordPurchase(phoneNumber, workspaceId, agentId, twilioSid))
          .compose(stored -> stored
              .map(Future::succeededFuture)
              .orElseGet(() -> Future.failedFuture(DomainFailure.conflict("number_exists", phoneNumber + " is already a number of this gateway."))))
          .onSuccess(bought -> {
            metrics.acquired(NumberType.PLATFORM);
            log.info("Bought {} for workspace {}", phoneNumber, workspaceId);
            vertx.eventBus().publish(BOUGHT_ADDRESS, new io.vertx.core.json.JsonObject()
                .put("workspace_id", workspaceId).put("phone_number", phoneNumber).put("twilio_sid", bought.twilioSid()));
          })
          .onFailure(failed -> numbers.abandonPurchase(phoneNumber)
              .onFailure(e -> log.warn("Purchase record of {} stays until numbers.purchase_timeout: {}", phoneNumber, e.toString())));
    });
  }

  /** Buys the first number offered in the area code: 409 {@code no_numbers_available} when there is none. */
  public Future<SmsNumber> buyInAreaCode(int areaCode, String workspaceId, String agentId) {
    return available(areaCode, null, AREA_CODE_CANDIDATES).compose(offered -> {
      if (offered.isEmpty()) {
        return Future.failedFuture(DomainFailure.conflict("no_numbers_available",
            "No SMS-capable number is for sale in area code " + areaCode + "; try another area code."));
      }
      return buyFirst(offered, 0, workspaceId, agentId);
    });
  }

  private Future<SmsNumber> buyFirst(List<TwilioApi.AvailableNumber> offered, int index, String workspaceId, String agentId) {
    return buy(offered.get(index).phoneNumber(), workspaceId, agentId).recover(failure -> {
      boolean taken = failure instanceof DomainFailure domain
          && (domain.code().equals("number_unavailable") || domain.code().equals("number_exists") || domain.code().equals("purchase_in_progress"));
      return taken && index + 1 < offered.size() ? buyFirst(offered, index + 1, workspaceId, agentId) : Future.failedFuture(failure);
    });
  }

  /**
   * The IncomingPhoneNumber sid of the number bought into the platform account. When Twilio's answer was lost, or it
   * says the number is taken, the platform account is asked whether it has the number already (an earlier attempt
   * of this purchase bought it): then that purchase is kept, never made twice.
   */
  private Future<String> purchase(String phoneNumber) {
    TwilioAccount platform = accounts.platform();
    return twilio.buyNumber(platform, phoneNumber, smsUrl, statusCallbackUrl)
        .map(TwilioApi.PurchasedNumber::sid)
        .recover(failure -> {
          if (!(failure instanceof TwilioApiException twilioFailure)
              || !(twilioFailure.ioFailure() || isUnavailable(twilioFailure))) {
            return twilioFailure(failure);
          }
          return twilio.findIncomingNumber(platform, phoneNumber).recover(NumberService::twilioFailure).compose(owned -> owned
              .map(number -> Future.succeededFuture(number.sid()))
              .orElseGet(() -> isUnavailable(twilioFailure)
                  ? Future.failedFuture(DomainFailure.conflict("number_unavailable",
                      phoneNumber + " is no longer offered by Twilio; GET /v1/available-numbers lists numbers for sale."))
                  : twilioFailure(failure)));
        });
  }

  private static boolean isUnavailable(TwilioApiException failure) {
    return failure.twilioErrorCode().orElse(0) == NUMBER_NOT_AVAILABLE
        || (failure.httpStatus() == 400 && failure.twilioErrorCode().isEmpty());
  }

  /** What a BYO registration asks for. */
  public record ByoRequest(String phoneNumber, String accountSid, String authToken, String workspaceId, String agentId, String brandTier) {
    @Override
    public String toString() {
      return "ByoRequest[" + phoneNumber + ", " + accountSid + ", workspace " + workspaceId + "]";
    }
  }

  /** The BYO number and whether it was new (a repeat re-registers it). */
  public record Registered(SmsNumber number, boolean created) {}

  /**
   * Checks the customer's credentials and number at Twilio, points the number's SmsUrl at the gateway, then stores
   * the number and the sealed token: 422 {@code twilio_credentials_invalid}, {@code number_not_in_account},
   * {@code number_not_sms_capable}; 409 {@code number_exists} for a number of another workspace or type.
   */
  public Future<Registered> bringYourOwn(ByoRequest request) {
    if (!accounts.canStore()) {
      return Future.failedFuture(DomainFailure.unavailable("secrets_key_missing",
          "BYO numbers need secrets.key (GATEWAY_SECRETS_KEY) to store auth tokens encrypted; ask the operator to configure it."));
    }
    TwilioAccount account = new TwilioAccount(request.accountSid(), request.authToken());
    return numbers.find(request.phoneNumber()).compose(existing -> {
      if (existing.isPresent() && (existing.get().type() != NumberType.BYO_TWILIO || !request.workspaceId().equals(existing.get().workspaceId()))) {
        return Future.failedFuture(DomainFailure.conflict("number_exists",
            request.phoneNumber() + " is already a number of this gateway (another workspace's or a platform number)."));
      }
      return verifyCredentials(account);
    }).compose(verified -> twilio.findIncomingNumber(account, request.phoneNumber()).recover(NumberService::twilioFailure))
        .compose(found -> {
          if (found.isEmpty()) {
            return refuse(NumberMetrics.ByoFailure.NUMBER_NOT_IN_ACCOUNT, "number_not_in_account",
                request.phoneNumber() + " is not a number of Twilio account " + request.accountSid() + ".", "phone_number");
          }
          if (!found.get().smsCapable()) {
            return refuse(NumberMetrics.ByoFailure.NUMBER_NOT_SMS_CAPABLE, "number_not_sms_capable",
                request.phoneNumber() + " cannot send or receive SMS at Twilio; choose an SMS-capable number.", "phone_number");
          }
          return twilio.updateSmsUrl(account, found.get().sid(), smsUrl).recover(NumberService::twilioFailure)
              .compose(pointed -> accounts.save(account))
              .compose(saved -> numbers.putByoNumber(request.phoneNumber(), request.workspaceId(), request.agentId(),
                  request.accountSid(), found.get().sid(), request.brandTier()));
        })
        .compose(put -> put
            .map(result -> Future.succeededFuture(new Registered(result.number(), result.created())))
            .orElseGet(() -> accounts.forgetIfUnused(request.accountSid()).transform(forgotten -> Future.failedFuture(
                DomainFailure.conflict("number_exists", request.phoneNumber() + " became another workspace's number meanwhile.")))))
        .onSuccess(registered -> {
          if (registered.created()) {
            metrics.acquired(NumberType.BYO_TWILIO);
          }
          log.info("BYO number {} of account {} registered for workspace {}", request.phoneNumber(), request.accountSid(), request.workspaceId());
        });
  }

  /** The account answers with these credentials and is active; a 401/403/404 means they are wrong. */
  private Future<Void> verifyCredentials(TwilioAccount account) {
    return twilio.fetchAccount(account)
        .recover(failure -> failure instanceof TwilioApiException twilioFailure
            && (twilioFailure.httpStatus() == 401 || twilioFailure.httpStatus() == 403 || twilioFailure.httpStatus() == 404)
            ? refuse(NumberMetrics.ByoFailure.TWILIO_CREDENTIALS_INVALID, "twilio_credentials_invalid",
                "Twilio refused the account_sid and auth_token; check them in the Twilio console.", "auth_token")
            : twilioFailure(failure))
        .compose(status -> status == null || status.equals("active")
            ? Future.succeededFuture()
            : refuse(NumberMetrics.ByoFailure.TWILIO_CREDENTIALS_INVALID, "twilio_credentials_invalid",
                "Twilio account " + account.accountSid() + " is " + status + ", not active.", "account_sid"));
  }

  private <T> Future<T> refuse(NumberMetrics.ByoFailure kind, String code, String message, String field) {
    metrics.byoRefused(kind);
    return Future.failedFuture(DomainFailure.invalid(code, message, field));
  }

  /**
   * Deletes a number: a platform number is released at Twilio, a BYO number's SmsUrl is cleared and its token
   * forgotten (when no other number uses the account); 409 {@code number_in_use} while it serves an active call.
   */
  public Future<Void> delete(SmsNumber number) {
    return activeCalls.inActiveCall(number.phoneNumber()).compose(inUse -> {
      if (inUse) {
        return Future.failedFuture(DomainFailure.conflict("number_in_use",
            number.phoneNumber() + " serves an active call; delete it after the call ends (DELETE /v1/calls/{call_id})."));
      }
      return detachAtTwilio(number)
          .compose(detached -> numbers.deleteAgentNumber(number.phoneNumber()))
          .compose(deleted -> number.type() == NumberType.BYO_TWILIO && number.accountSid() != null
              ? accounts.forgetIfUnused(number.accountSid())
              : Future.<Void>succeededFuture())
          .onSuccess(done -> metrics.released(number.type()));
    });
  }

  /** A number Twilio no longer has (404) counts as detached; so does a BYO account whose token was revoked (401). */
  private Future<Void> detachAtTwilio(SmsNumber number) {
    Future<Optional<TwilioAccount>> account = number.type() == NumberType.BYO_TWILIO
        ? (number.accountSid() == null ? Future.succeededFuture(Optional.empty()) : accounts.find(number.accountSid()))
        : Future.succeededFuture(Optional.of(accounts.platform()));
    return account.compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<Optional<String>> sid = number.twilioSid() != null
          ? Future.succeededFuture(Optional.of(number.twilioSid()))
          : twilio.findIncomingNumber(found.get(), number.phoneNumber()).map(owned -> owned.map(TwilioApi.IncomingNumber::sid));
      Function<String, Future<Void>> detach = number.type() == NumberType.BYO_TWILIO
          ? numberSid -> twilio.updateSmsUrl(found.get(), numberSid, "")
          : numberSid -> twilio.releaseNumber(found.get(), numberSid);
      return sid.compose(owned -> owned.map(detach).orElseGet(Future::succeededFuture))
          .recover(failure -> failure instanceof TwilioApiException twilioFailure
              && (twilioFailure.httpStatus() == 404 || (number.type() == NumberType.BYO_TWILIO && twilioFailure.httpStatus() == 401))
              ? Future.succeededFuture()
              : twilioFailure(failure));
    });
  }

  /**
   * Removes a pool number (404 when it is not in the pool). Calls already pinned to it keep it until they end: the pool
   * is the platform's own, nothing is released at Twilio, and a pin never needs the row again.
   */
  public Future<Void> deletePoolNumber(String phoneNumber) {
    return numbers.deletePoolNumber(phoneNumber).compose(deleted -> {
      if (!deleted) {
        return Future.failedFuture(DomainFailure.notFound("Pool number " + phoneNumber));
      }
      metrics.released(NumberType.POOL);
      return Future.succeededFuture();
    });
  }

  /** Twilio down, slow or refusing: 503 {@code dependency_unavailable} (retry later), or 502 for another refusal. */
  static <T> Future<T> twilioFailure(Throwable failure) {
    if (failure instanceof TwilioApiException twilioFailure) {
      if (twilioFailure.retryable() || twilioFailure.httpStatus() == TwilioApiException.NO_HTTP_STATUS) {
        return Future.failedFuture(DomainFailure.unavailable("dependency_unavailable", "Twilio is unavailable; try again shortly."));
      }
      return Future.failedFuture(new DomainFailure(DomainFailure.Kind.UPSTREAM_FAILED, "twilio_error",
          "Twilio refused the request (HTTP " + twilioFailure.httpStatus() + twilioFailure.twilioErrorCode().stream()
              .mapToObj(code -> ", error " + code).findFirst().orElse("") + "): " + twilioFailure.getMessage()));
    }
    return Future.failedFuture(failure);
  }
}
