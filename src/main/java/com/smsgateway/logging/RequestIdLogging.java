package com.smsgateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current request id (see {@link RequestIds}) in the MDC as {@code request_id} just before each log line is
 * written, and removes it when there is none: a thread-local MDC set once would follow the event loop to other
 * requests. The JSON log (LogstashEncoder) writes MDC fields; the text pattern prints {@code %X{request_id}}.
 */
public final class RequestIdLogging extends TurboFilter {
  static final String MDC_KEY = "request_id";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    RequestIds.current().ifPresentOrElse(id -> MDC.put(MDC_KEY, id), () -> MDC.remove(MDC_KEY));
    return FilterReply.NEUTRAL;
  }
}
