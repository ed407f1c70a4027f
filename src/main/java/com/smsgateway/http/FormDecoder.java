package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body that is already bounded in bytes, stopping at the first
 * field over {@code maxFields}: a hostile {@code a&a&a…} body costs at most {@code maxFields} entries, never a map of
 * every separator (Netty's decoder without a field limit builds one object per field before anyone can refuse it).
 */
public final class FormDecoder {
  private FormDecoder() {}

  /**
   * The fields in order (a name sent twice keeps both values); 413 {@code too_many_fields} past {@code maxFields},
   * 400 {@code malformed_form} on bad percent-encoding.
   */
  public static MultiMap decode(Buffer body, int maxFields) {
    MultiMap fields = MultiMap.caseInsensitiveMultiMap();
    String text = body.toString(StandardCharsets.UTF_8);
    int count = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('&', start);
      if (end < 0) {
        end = text.length();
      }
      if (end > start) {
        if (++count > maxFields) {
          throw new DomainFailure(DomainFailure.Kind.TOO_LARGE, "too_many_fields",
              "A form body may carry at most " + maxFields + " fields.");
        }
        String pair = text.substring(start, end);
        int equals = pair.indexOf('=');
        String name = component(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : component(pair.substring(equals + 1));
        fields.add(name, value);
      }
      start = end + 1;
    }
    return fields;
  }

  private static String component(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw DomainFailure.malformed("malformed_form", "The form body has an invalid percent-encoding; encode '%' as %25.");
    }
  }
}
