package com.smsgateway.sandbox;

import com.smsgateway.twilio.TwilioAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Resources shaped as Twilio returns them: the fields the Twilio SDK reads, with Twilio's names and formats. */
final class SandboxTwilioJson {
  static final String API_VERSION = "2010-04-01";
  private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

  private SandboxTwilioJson() {}

  /** A Twilio SID: two letters naming the resource type and 32 hex digits. */
  static String sid(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  static JsonObject error(int status, int code, String message) {
    return new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code)
        .put("status", status);
  }

  static JsonObject queuedMessage(TwilioAccount account, String sid, String from, String to, String body, int numMedia, int numSegments) {
    String now = now();
    String uri = "/" + API_VERSION + "/Accounts/" + account.accountSid() + "/Messages/" + sid;
    return new JsonObject()
        .put("account_sid", account.accountSid())
        .put("api_version", API_VERSION)
        .put("body", body == null ? "" : body)
        .put("date_created", now)
        .put("date_sent", null)
        .put("date_updated", now)
        .put("direction", "outbound-api")
        .put("error_code", null)
        .put("error_message", null)
        .put("from", from)
        .put("messaging_service_sid", null)
        .put("num_media", Integer.toString(numMedia))
        .put("num_segments", Integer.toString(numSegments))
        .put("price", null)
        .put("price_unit", "USD")
        .put("sid", sid)
        .put("status", "queued")
        .put("subresource_uris", new JsonObject().put("media", uri + "/Media.json"))
        .put("to", to)
        .put("uri", uri + ".json");
  }

  static JsonObject messagesPage(TwilioAccount account, List<JsonObject> messages) {
    String uri = "/" + API_VERSION + "/Accounts/" + account.accountSid() + "/Messages.json";
    return page(uri, messages.size()).put("messages", new JsonArray(List.copyOf(messages)));
  }

  static JsonObject availableNumbersPage(TwilioAccount account, List<String> phoneNumbers) {
    JsonArray numbers = new JsonArray();
    phoneNumbers.forEach(number -> numbers.add(new JsonObject()
        .put("friendly_name", nationalFormat(number))
        .put("phone_number", number)
        .put("lata", null)
        .put("locality", null)
        .put("rate_center", null)
        .put("latitude", null)
        .put("longitude", null)
        .put("region", null)
        .put("postal_code", null)
        .put("iso_country", "US")
        .put("address_requirements", "none")
        .put("beta", false)
        .put("capabilities", new JsonObject().put("voice", true).put("SMS", true).put("MMS", true).put("fax", false))));
    String uri = "/" + API_VERSION + "/Accounts/" + account.accountSid() + "/AvailablePhoneNumbers/US/Local.json";
    return page(uri, phoneNumbers.size()).put("available_phone_numbers", numbers);
  }

  /** The paging fields of an API v2010 list: always a single page here. */
  private static JsonObject page(String uri, int size) {
    return new JsonObject()
        .put("uri", uri)
        .put("first_page_uri", uri)
        .put("next_page_uri", null)
        .put("previous_page_uri", null)
        .put("page", 0)
        .put("page_size", size)
        .put("start", 0)
        .put("end", Math.max(0, size - 1));
  }

  static JsonObject incomingNumber(TwilioAccount account, SandboxAccounts.Number number) {
    String now = now();
    return new JsonObject()
        .put("account_sid", account.accountSid())
        .put("address_requirements", "none")
        .put("api_version", API_VERSION)
        .put("beta", false)
        .put("capabilities", new JsonObject().put("voice", true).put("sms", number.smsCapable()).put("mms", number.smsCapable()).put("fax", false))
        .put("date_created", now)
        .put("date_updated", now)
        .put("friendly_name", nationalFormat(number.phoneNumber()))
        .put("origin", "twilio")
        .put("phone_number", number.phoneNumber())
        .put("sid", number.sid())
        .put("sms_method", number.smsMethod())
        .put("sms_url", number.smsUrl())
        .put("status_callback", number.statusCallback())
        .put("status", "in-use")
        .put("uri", "/" + API_VERSION + "/Accounts/" + account.accountSid() + "/IncomingPhoneNumbers/" + number.sid() + ".json");
  }

  static JsonObject incomingNumbersPage(TwilioAccount account, List<SandboxAccounts.Number> numbers) {
    JsonArray listed = new JsonArray();
    numbers.forEach(number -> listed.add(incomingNumber(account, number)));
    String uri = "/" + API_VERSION + "/Accounts/" + account.accountSid() + "/IncomingPhoneNumbers.json";
    return page(uri, numbers.size()).put("incoming_phone_numbers", listed);
  }

  static JsonObject account(TwilioAccount account) {
    String now = now();
    return new JsonObject()
        .put("auth_token", null)
        .put("date_created", now)
        .put("date_updated", now)
        .put("friendly_name", "Sandbox account " + account.accountSid())
        .put("owner_account_sid", account.accountSid())
        .put("sid", account.accountSid())
        .put("status", "active")
        .put("subresource_uris", new JsonObject())
        .put("type", "Full")
        .put("uri", "/" + API_VERSION + "/Accounts/" + account.accountSid() + ".json");
  }

  /** Lookup v2; {@code carrier} is null unless line type intelligence was asked for (and for an invalid number). */
  static JsonObject lookup(String phoneNumber, boolean valid, FictionalCarrier carrier) {
    JsonObject lineType = carrier == null ? null : new JsonObject()
        .put("carrier_name", carrier.carrierName())
        .put("type", carrier.lineType())
        .put("mobile_country_code", carrier.mobileCountryCode())
        .put("mobile_network_code", carrier.mobileNetworkCode())
        .put("error_code", null);
    return new JsonObject()
        .put("calling_country_code", valid ? "1" : null)
        .put("country_code", valid ? "US" : null)
        .put("phone_number", phoneNumber)
        .put("national_format", valid ? nationalFormat(phoneNumber) : null)
        .put("valid", valid)
        .put("validation_errors", valid ? new JsonArray() : new JsonArray().add("INVALID_LENGTH"))
        .put("caller_name", null)
        .put("sim_swap", null)
        .put("call_forwarding", null)
        .put("line_status", null)
        .put("line_type_intelligence", lineType)
        .put("identity_match", null)
        .put("reassigned_number", null)
        .put("sms_pumping_risk", null)
        .put("phone_number_quality_score", null)
        .put("pre_fill", null)
        .put("url", "https://lookups.twilio.com/v2/PhoneNumbers/" + phoneNumber);
  }

  /** {@code +14155550100} → {@code (415) 555-0100}. */
  private static String nationalFormat(String usNumber) {
    return "(" + usNumber.substring(2, 5) + ") " + usNumber.substring(5, 8) + "-" + usNumber.substring(8);
  }

  static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(RFC_2822);
  }
}
