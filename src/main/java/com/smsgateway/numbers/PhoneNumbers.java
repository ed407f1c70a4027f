package com.smsgateway.numbers;

import com.smsgateway.http.ApiError;
import com.smsgateway.http.Json;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** US numbers in E.164 form (+1, NANP): the only numbers the gateway texts from or to. */
public final class PhoneNumbers {
  private static final Pattern US_E164 = Pattern.compile("\\+1[2-9]\\d{2}[2-9]\\d{6}");

  private PhoneNumbers() {}

  public static boolean isUsE164(String value) {
    return value != null && US_E164.matcher(value).matches();
  }

  /** {@code value} when it is a US E.164 number, else 422 naming {@code field}. */
  public static String requireUs(String field, String value) {
    if (!isUsE164(value)) {
      throw ApiError.invalidField(field, "must be a US number in E.164 form, e.g. +14155550100");
    }
    return value;
  }

  /** The body's required {@code field}, a US E.164 number. */
  public static String requiredUs(JsonObject body, String field) {
    return requireUs(field, Json.requiredString(body, field));
  }

  /** The body's optional {@code field} (null when absent), a US E.164 number when present. */
  public static String optionalUs(JsonObject body, String field) {
    String value = Json.optionalString(body, field);
    return value == null ? null : requireUs(field, value);
  }
}
