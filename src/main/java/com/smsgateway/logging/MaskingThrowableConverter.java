package com.smsgateway.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Stack traces with phone numbers and URL passwords in exception messages masked ({@link LogMasking}). */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return LogMasking.mask(super.throwableProxyToString(proxy));
  }
}
