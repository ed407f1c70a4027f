package com.smsgateway.ratelimit;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recipient's carrier for the rate limits: Redis first, then PostgreSQL (both kept for {@code ttl}), then Twilio
 * Lookup v2 line type intelligence. It never fails: when the carrier cannot be learned the text is charged as
 * {@link Carrier#UNKNOWN} (the total cap only), and the failure is counted.
 */
public final class CarrierLookup {
  private static final Logger log = LoggerFactory.getLogger(CarrierLookup.class);
  private static final String FIND = """
      SELECT carrier FROM carrier_lookups
      WHERE phone_number = $1 AND looked_up_at > now() - $2 * interval '1 second'
      """;
  private static final String SAVE = """
      INSERT INTO carrier_lookups (phone_number, carrier, carrier_name, line_type) VALUES ($1, $2, $3, $4)
      ON CONFLICT (phone_number) DO UPDATE
      SET carrier = EXCLUDED.carrier, carrier_name = EXCLUDED.carrier_name, line_type = EXCLUDED.line_type, looked_up_at = now()
      """;

  private final Redis redis;
  private final String keyPrefix;
  private final Pool pg;
  private final TwilioApi twilio;
  private final TwilioAccount account;
  private final Duration ttl;
  private final MeterRegistry registry;

  /** {@code account} pays for the lookups (the platform account). */
  public CarrierLookup(Redis redis, String keyPrefix, Pool pg, TwilioApi twilio, TwilioAccount account, Duration ttl, MeterRegistry registry) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.pg = pg;
    this.twilio = twilio;
    this.account = account;
    this.ttl = ttl;
    this.registry = registry;
  }

  public Future<Carrier> carrierOf(String phoneNumber) {
    return fromRedis(phoneNumber)
        .compose(cached -> cached.isPresent() ? counted(cached.get(), "redis") : fromPostgres(phoneNumber)
            .compose(stored -> stored.isPresent()
                ? cacheInRedis(phoneNumber, stored.get()).compose(ok -> counted(stored.get(), "postgres"))
                : fromTwilio(phoneNumber)))
        .recover(failure -> {
          log.warn("Carrier of {} unknown, charging the total cap only: {}", phoneNumber, failure.toString());
          return counted(Carrier.UNKNOWN, "failed");
        });
  }

  private Future<Optional<Carrier>> fromRedis(String phoneNumber) {
    return redis.send(Request.cmd(Command.GET).arg(key(phoneNumber)))
        .map(value -> Optional.ofNullable(value).map(carrier -> parse(carrier.toString())));
  }

  private Future<Optional<Carrier>> fromPostgres(String phoneNumber) {
    return pg.preparedQuery(FIND).execute(Tuple.of(phoneNumber, ttl.toSeconds()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(parse(rows.iterator().next().getString("carrier"))));
  }

  private Future<Carrier> fromTwilio(String phoneNumber) {
    return twilio.lookupCarrier(account, phoneNumber).compose(found -> {
      Carrier carrier = found.tMobile() ? Carrier.TMOBILE : Carrier.OTHER;
      // Twilio's answer is good even when it cannot be kept; the next text asks again.
      return pg.preparedQuery(SAVE).execute(Tuple.of(phoneNumber, code(carrier), found.carrierName(), found.lineType()))
          .compose(saved -> cacheInRedis(phoneNumber, carrier))
          .recover(failure -> {
            log.warn("Carrier of {} not cached: {}", phoneNumber, failure.toString());
            return Future.succeededFuture();
          })
          .compose(cached -> counted(carrier, "twilio"));
    });
  }

  private Future<Void> cacheInRedis(String phoneNumber, Carrier carrier) {
    return redis.send(Request.cmd(Command.SET).arg(key(phoneNumber)).arg(code(carrier)).arg("EX").arg(Math.max(1, ttl.toSeconds())))
        .mapEmpty();
  }

  private Future<Carrier> counted(Carrier carrier, String source) {
    Counter.builder("gateway.carrier.lookups")
        .description("Recipient carrier lookups by where the answer came from (failed: charged to the total cap only)")
        .tag("source", source)
        .register(registry)
        .increment();
    return Future.succeededFuture(carrier);
  }

  private String key(String phoneNumber) {
    return keyPrefix + "carrier:" + phoneNumber;
  }

  private static String code(Carrier carrier) {
    return carrier.name().toLowerCase(Locale.ROOT);
  }

  private static Carrier parse(String code) {
    return Carrier.valueOf(code.toUpperCase(Locale.ROOT));
  }
}
