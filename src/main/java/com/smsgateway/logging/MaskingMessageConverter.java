package com.smsgateway.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %msg} with phone numbers and URL passwords masked ({@link LogMasking}); registered in logback.xml. */
public final class MaskingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogMasking.mask(super.convert(event));
  }
}
