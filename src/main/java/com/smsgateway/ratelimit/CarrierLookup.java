package com.smsgateway.ratelimit;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.smsgateway.db.EventLoopBatches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      SELECT phone_number, carrier FROM carrier_lookups
      WHERE phone_number = ANY($1::text[]) AND looked_up_at > now() - $2 * interval '1 millisecond'
      """;
  /** One row per number (a batch names each number once). */
  private static final String SAVE = """
      INSERT INTO carrier_lookups (phone_number, carrier, carrier_name, line_type)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
      ON CONFLICT (phone_number) DO UPDATE
      SET carrier = EXCLUDED.carrier, carrier_name = EXCLUDED.carrier_name, line_type = EXCLUDED.line_type, looked_up_at = now()
      """;

  /** What Twilio Lookup said about a number. */
  private record Found(String phoneNumber, CarrierGroup carrier, String carrierName, String lineType) {}

  private final Pool pg;
  /** The lookups and the saves of concurrent texts on one event loop share one statement each. */
  private final EventLoopBatches<String, Optional<CarrierGroup>> finds;
  private final EventLoopBatches<Found, Void> saves;
  private final TwilioApi twilio;
  private final TwilioAccount account;
  private final Duration ttl;
  private final CounterFamily lookups;

  /** {@code account} pays for the lookups (the platform account). */
  public CarrierLookup(Vertx vertx, Pool pg, EventLoopBatches.BatchLimits batches, TwilioApi twilio, TwilioAccount account, Duration ttl,
                       MeterRegistry registry) {
    this.pg = pg;
    this.finds = new EventLoopBatches<>(vertx, "carrier_reads", batches, this::findAll, registry);
    this.saves = new EventLoopBatches<>(vertx, "carrier_writes", batches, this::saveAll, registry);
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
    return finds.submit(phoneNumber);
  }

  private Future<List<Optional<CarrierGroup>>> findAll(List<String> phoneNumbers) {
    return pg.preparedQuery(FIND).execute(Tuple.of(phoneNumbers.toArray(String[]::new), ttl.toMillis())).map(rows -> {
      Map<String, CarrierGroup> known = new HashMap<>();
      rows.forEach(row -> known.put(row.getString("phone_number"), CarrierGroup.fromCode(row.getString("carrier"))));
      return phoneNumbers.stream().map(number -> Optional.ofNullable(known.get(number))).toList();
    });
  }

  private Future<List<Void>> saveAll(List<Found> found) {
    // ON CONFLICT may touch a row once per statement: the last answer for a number wins.
    Map<String, Found> latest = new LinkedHashMap<>();
    found.forEach(answer -> latest.put(answer.phoneNumber(), answer));
    List<Found> rows = List.copyOf(latest.values());
    return pg.preparedQuery(SAVE).execute(Tuple.of(
            rows.stream().map(Found::phoneNumber).toArray(String[]::new),
            rows.stream().map(answer -> answer.carrier().code()).toArray(String[]::new),
            rows.stream().map(Found::carrierName).toArray(String[]::new),
            rows.stream().map(Found::lineType).toArray(String[]::new)))
        .map(saved -> Collections.nCopies(found.size(), null));
  }

  private Future<CarrierGroup> fromTwilio(String phoneNumber) {
    return twilio.lookupCarrier(account, phoneNumber).compose(found -> {
      CarrierGroup carrier = found.tMobile() ? CarrierGroup.TMOBILE : CarrierGroup.OTHER;
      // Twilio's answer is good even when PostgreSQL cannot keep it: the limiter still caches it for the brand.
      return saves.submit(new Found(phoneNumber, carrier, found.carrierName(), found.lineType()))
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
