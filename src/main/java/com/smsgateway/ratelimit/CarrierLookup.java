package com.smsgateway.ratelimit;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recipient's carrier for the rate limits when the brand's carrier cache in Redis (read by the limiter's script,
 * see {@link SegmentLimiter#tryCharge}) does not know it: PostgreSQL (kept for {@code ttl}, shared by all brands),
 * then Twilio Lookup v2 line type intelligence. It never fails: when the carrier cannot be learned the text is
 * charged as {@link CarrierGroup#UNKNOWN} (the total cap only), and the failure is counted.
 *
 * <p>{@code gateway.carrier.lookups{source}} counts where each charge's carrier came from: {@code redis} (reported
 * by the limiter through {@link #countCacheHit()}), {@code postgres}, {@code twilio} or {@code failed}.
 */
public final class CarrierLookup {
  private static final Logger log = LoggerFactory.getLogger(CarrierLookup.class);
  private static final String FIND = """
      SELECT carrier FROM carrier_lookups
      WHERE phone_number = $1 AND looked_up_at > now() - $2 * interval '1 millisecond'
      """;
  private static final String SAVE = """
      INSERT INTO carrier_lookups (phone_number, carrier, carrier_name, line_type) VALUES ($1, $2, $3, $4)
      ON CONFLICT (phone_number) DO UPDATE
      SET carrier = EXCLUDED.carrier, carrier_name = EXCLUDED.carrier_name, line_type = EXCLUDED.line_type, looked_up_at = now()
      """;

  private final Pool pg;
  private final TwilioApi twilio;
  private final TwilioAccount account;
  private final Duration ttl;
  private final CounterFamily lookups;

  /** {@code account} pays for the lookups (the platform account). */
  public CarrierLookup(Pool pg, TwilioApi twilio, TwilioAccount account, Duration ttl, MeterRegistry registry) {
    this.pg = pg;
    this.twilio = twilio;
    this.account = account;
    this.ttl = ttl;
    this.lookups = CounterFamily.of(registry, "gateway.carrier.lookups",
        "Where the carrier a text was charged for came from (failed: charged to the total cap only)", null, "source");
  }

  public Future<CarrierGroup> carrierOf(String phoneNumber) {
    return fromPostgres(phoneNumber)
        .compose(stored -> stored.isPresent() ? counted(stored.get(), "postgres") : fromTwilio(phoneNumber))
        .recover(failure -> {
          log.warn("Carrier of {} unknown, charging the total cap only: {}", phoneNumber, failure.toString());
          return counted(CarrierGroup.UNKNOWN, "failed");
        });
  }

  /** The limiter found the carrier in the brand's Redis cache, so this lookup was not needed. */
  public void countCacheHit() {
    counter("redis").increment();
  }

  private Future<Optional<CarrierGroup>> fromPostgres(String phoneNumber) {
    return pg.preparedQuery(FIND).execute(Tuple.of(phoneNumber, ttl.toMillis()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(CarrierGroup.fromCode(rows.iterator().next().getString("carrier"))));
  }

  private Future<CarrierGroup> fromTwilio(String phoneNumber) {
    return twilio.lookupCarrier(account, phoneNumber).compose(found -> {
      CarrierGroup carrier = found.tMobile() ? CarrierGroup.TMOBILE : CarrierGroup.OTHER;
      // Twilio's answer is good even when PostgreSQL cannot keep it: the limiter still caches it for the brand.
      return pg.preparedQuery(SAVE).execute(Tuple.of(phoneNumber, carrier.code(), found.carrierName(), found.lineType()))
          .<Void>mapEmpty()
          .recover(failure -> {
            log.warn("Carrier of {} not stored: {}", phoneNumber, failure.toString());
            return Future.succeededFuture();
          })
          .compose(stored -> counted(carrier, "twilio"));
    });
  }

  private Future<CarrierGroup> counted(CarrierGroup carrier, String source) {
    counter(source).increment();
    return Future.succeededFuture(carrier);
  }

  private Counter counter(String source) {
    return lookups.with(source);
  }
}
