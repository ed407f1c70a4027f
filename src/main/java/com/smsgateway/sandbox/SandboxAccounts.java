package com.smsgateway.sandbox;

import com.smsgateway.twilio.TwilioAccount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Twilio accounts the sandbox plays, and their numbers (IncomingPhoneNumbers): the platform account plus accounts
 * an admin adds ({@code POST /sandbox/accounts}) to stand for customers' own Twilio accounts. What the sandbox has
 * for sale is every {@code +1<area code>55501NN} not yet in an account, except in area codes ending in 99, which have
 * none. Bounded; shared by the routers of every event loop.
 */
final class SandboxAccounts {
  static final int MAX_ACCOUNTS = 1000;
  static final int MAX_NUMBERS = 10_000;
  private static final Pattern OFFERED = Pattern.compile("\\+1[2-9]\\d{2}55501\\d{2}");

  /** A number in an account, as Twilio's IncomingPhoneNumber resource has it. */
  record Number(String sid, String phoneNumber, boolean smsCapable, String smsUrl, String smsMethod, String statusCallback) {
    Number withSmsUrl(String url, String method) {
      return new Number(sid, phoneNumber, smsCapable, url, method, statusCallback);
    }
  }

  private record Account(TwilioAccount credentials, Map<String, Number> numbersBySid) {}

  private final Map<String, Account> accounts = new LinkedHashMap<>();
  /** Every number in any account: not for sale. */
  private final Set<String> taken = new HashSet<>();
  private final String platformSid;

  SandboxAccounts(TwilioAccount platform) {
    this.platformSid = platform.accountSid();
    accounts.put(platform.accountSid(), new Account(platform, new LinkedHashMap<>()));
  }

  String platformSid() {
    return platformSid;
  }

  synchronized Optional<TwilioAccount> find(String accountSid) {
    return Optional.ofNullable(accounts.get(accountSid)).map(Account::credentials);
  }

  /**
   * Adds (or replaces) an account with its numbers; false when the bound is reached or a number already belongs to
   * another account.
   */
  synchronized boolean put(TwilioAccount credentials, Map<String, Boolean> smsCapableByNumber) {
    Account previous = accounts.get(credentials.accountSid());
    if (previous == null && accounts.size() >= MAX_ACCOUNTS) {
      return false;
    }
    Set<String> own = new HashSet<>();
    if (previous != null) {
      previous.numbersBySid().values().forEach(number -> own.add(number.phoneNumber()));
    }
    for (String phoneNumber : smsCapableByNumber.keySet()) {
      if (taken.contains(phoneNumber) && !own.contains(phoneNumber)) {
        return false;
      }
    }
    if (taken.size() - own.size() + smsCapableByNumber.size() > MAX_NUMBERS) {
      return false;
    }
    taken.removeAll(own);
    Map<String, Number> numbers = new LinkedHashMap<>();
    smsCapableByNumber.forEach((phoneNumber, smsCapable) -> {
      String sid = SandboxTwilioJson.sid("PN");
      numbers.put(sid, new Number(sid, phoneNumber, smsCapable, null, "POST", null));
      taken.add(phoneNumber);
    });
    accounts.put(credentials.accountSid(), new Account(credentials, numbers));
    return true;
  }

  /** Whether the sandbox sells this number now. */
  synchronized boolean offered(String phoneNumber) {
    return OFFERED.matcher(phoneNumber).matches() && !phoneNumber.startsWith("99", 3) && !taken.contains(phoneNumber);
  }

  /** The first {@code limit} numbers for sale in the area code whose digits match {@code contains} (null: any). */
  synchronized List<String> available(String areaCode, Pattern contains, int limit) {
    List<String> available = new ArrayList<>();
    if (areaCode.endsWith("99")) {
      return available;
    }
    for (int n = 0; n < 100 && available.size() < limit; n++) {
      String number = String.format(java.util.Locale.ROOT, "+1%s55501%02d", areaCode, n);
      if (!taken.contains(number) && (contains == null || contains.matcher(number.substring(2)).find())) {
        available.add(number);
      }
    }
    return available;
  }

  /** Buys an offered number into the account; empty when it is not for sale (any more) or the bound is reached. */
  synchronized Optional<Number> buy(String accountSid, String phoneNumber, String smsUrl, String smsMethod, String statusCallback) {
    Account account = accounts.get(accountSid);
    if (account == null || !offered(phoneNumber) || taken.size() >= MAX_NUMBERS) {
      return Optional.empty();
    }
    String sid = SandboxTwilioJson.sid("PN");
    Number number = new Number(sid, phoneNumber, true, smsUrl, smsMethod, statusCallback);
    account.numbersBySid().put(sid, number);
    taken.add(phoneNumber);
    return Optional.of(number);
  }

  /** The account's numbers, those equal to {@code phoneNumber} only when it is not null. */
  synchronized List<Number> numbers(String accountSid, String phoneNumber) {
    Account account = accounts.get(accountSid);
    if (account == null) {
      return List.of();
    }
    return account.numbersBySid().values().stream()
        .filter(number -> phoneNumber == null || phoneNumber.equals(number.phoneNumber()))
        .toList();
  }

  synchronized Optional<Number> updateSmsUrl(String accountSid, String sid, String smsUrl, String smsMethod) {
    Account account = accounts.get(accountSid);
    Number number = account == null ? null : account.numbersBySid().get(sid);
    if (number == null) {
      return Optional.empty();
    }
    Number updated = number.withSmsUrl(smsUrl, smsMethod == null ? number.smsMethod() : smsMethod);
    account.numbersBySid().put(sid, updated);
    return Optional.of(updated);
  }

  /** Releases the number from the account: it is for sale again. */
  synchronized boolean release(String accountSid, String sid) {
    Account account = accounts.get(accountSid);
    Number number = account == null ? null : account.numbersBySid().remove(sid);
    if (number == null) {
      return false;
    }
    taken.remove(number.phoneNumber());
    return true;
  }
}
