package com.smsgateway.outbound;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.numbers.NumberType;
import com.smsgateway.numbers.SmsStatus;
import com.smsgateway.numbers.SmsNumber;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioAccounts;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A workspace's own number as a sender: it must be that workspace's number and able to send SMS (a BYO Twilio
 * number whose account the gateway knows, or an enabled platform number). One rule for every feature that sends
 * from a customer-chosen number (the messages API, in-call SMS from the agent's number), so a workspace can
 * never send from another workspace's number.
 */
public final class WorkspaceSendingNumbers {
  private final SmsNumberStore numbers;
  private final TwilioAccounts accounts;
  private final BrandResolver brands;

  public WorkspaceSendingNumbers(SmsNumberStore numbers, TwilioAccounts accounts, BrandResolver brands) {
    this.numbers = numbers;
    this.accounts = accounts;
    this.brands = brands;
  }

  /**
   * The sender for {@code phoneNumber} in {@code workspaceId}, or empty when that workspace may not send from it (the
   * number as read at most {@code numbers.cache_ttl} ago: asked for every in-call and chat text).
   */
  public Future<Optional<SendingNumber>> of(String workspaceId, String phoneNumber) {
    return numbers.findSender(phoneNumber).compose(found -> senderFor(workspaceId, found));
  }

  /**
   * The sender for {@code phoneNumber} in {@code workspaceId}: 409 {@code number_suspended} when the workspace's
   * campaign was suspended, 422 {@code sender_not_allowed} when the workspace may not send from it otherwise.
   */
  public Future<SendingNumber> require(String workspaceId, String phoneNumber) {
    return numbers.find(phoneNumber).compose(found -> {
      if (found.isPresent() && workspaceId.equals(found.get().workspaceId()) && found.get().smsStatus() == SmsStatus.SUSPENDED
          && found.get().type() != NumberType.BYO_TWILIO) {
        return Future.failedFuture(DomainFailure.conflict("number_suspended", phoneNumber
            + " is suspended: the workspace's A2P campaign was suspended. It can send again once a campaign is approved."));
      }
      return senderFor(workspaceId, found).map(sender -> sender.orElseThrow(() -> DomainFailure.invalid("sender_not_allowed",
          "from_number '" + phoneNumber + "' is not an SMS-enabled number of workspace '" + workspaceId
              + "' (buy one with POST /v1/sms-numbers, or bring your own with POST /v1/sms-numbers/byo).", "from_number")));
    });
  }

  private Future<Optional<SendingNumber>> senderFor(String workspaceId, Optional<SmsNumber> found) {
    Optional<SmsNumber> usable = found.filter(number -> workspaceId.equals(number.workspaceId()) && number.canSendSms());
    if (usable.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    SmsNumber number = usable.get();
    SenderKind kind = number.type() == NumberType.BYO_TWILIO ? SenderKind.BYO : SenderKind.PLATFORM;
    Future<Optional<TwilioAccount>> account = number.accountSid() == null
        ? Future.succeededFuture(Optional.of(accounts.platform()))
        : accounts.find(number.accountSid());
    return account.compose(known -> known.isEmpty()
        ? Future.succeededFuture(Optional.<SendingNumber>empty())
        : brands.brandOf(kind, number.phoneNumber(), workspaceId)
            .map(brand -> Optional.of(new SendingNumber(kind, number.phoneNumber(), known.get(), brand))));
  }
}
