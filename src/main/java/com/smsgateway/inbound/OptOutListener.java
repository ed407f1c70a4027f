package com.smsgateway.inbound;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * Told about each opt-out keyword text (STOP, ...) as it is stored, in the same transaction, so what a feature does about
 * it (a chat ends) commits together with the text and the opt-out.
 */
public interface OptOutListener {
  Future<Void> optedOut(SqlClient tx, String ourNumber, String customerNumber);
}
