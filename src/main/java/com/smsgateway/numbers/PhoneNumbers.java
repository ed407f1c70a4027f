package com.smsgateway.numbers;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.domain.JsonFields;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** US numbers in E.164 form (+1, NANP): the only numbers the gateway texts from or to. */
public final class PhoneNumbers {
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
  private static final Pattern US_E164 = Pattern.compile("\\+1[2-9]\\d{2}[2-9]\\d{6}");

  private PhoneNumbers() {}

  public static boolean isUsE164(String value) {
    return value != null && US_E164.matcher(value).matches();
  }

  /**
   * {@code value} when it is a US E.164 number; else 422 naming {@code field}: {@code unsupported_country} for a
   * valid number of another country (only US numbers can be texted), {@code invalid_field} for anything else.
   */
  public static String requireUs(String field, String value) {
    if (value == null || value.isBlank()) {
      throw DomainFailure.invalidField(field, "is required");
    }
    if (E164.matcher(value).matches() && !value.startsWith("+1")) {
      throw DomainFailure.invalid("unsupported_country", "'" + field + "' " + value + " is outside the US: only US numbers (+1) can be texted.", field);
    }
    if (!isUsE164(value)) {
      throw DomainFailure.invalidField(field, "must be a US number in E.164 form (+1, then a 10-digit NANP number), e.g. +14155550100");
    }
    return value;
  }

  /** The body's required {@code field}, a US E.164 number. */
  public static String requiredUs(JsonObject body, String field) {
    return requireUs(field, JsonFields.requiredString(body, field));
  }

  /** The body's optional {@code field} (null when absent), a US E.164 number when present. */
  public static String optionalUs(JsonObject body, String field) {
    String value = JsonFields.optionalString(body, field);
    return value == null ? null : requireUs(field, value);
  }
}
