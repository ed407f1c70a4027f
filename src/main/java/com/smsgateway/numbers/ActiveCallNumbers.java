package com.smsgateway.numbers;

import io.vertx.core.Future;

/**
 * Whether a number serves an active call now (as the call's agent number or its pinned pool number): such a number
 * must not be deleted or released. The calls feature answers it from Redis.
 */
public interface ActiveCallNumbers {
  Future<Boolean> inActiveCall(String phoneNumber);
}
