package com.smsgateway.inbound;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A whole-message compliance keyword (any case, surrounding blanks ignored) and what it does. */
record Keyword(String word, Action action) {

  enum Action {
    /** The customer no longer wants texts from that number. */
    OPT_OUT("opt_out"),
    /** The customer takes an earlier opt-out back. */
    OPT_IN("opt_in"),
    /** The customer asked for help; recorded. */
    HELP("help");

    /** The message's {@code dispatch_state}: keyword texts are never offered to handlers. */
    final String dispatchState;

    Action(String dispatchState) {
      this.dispatchState = dispatchState;
    }
  }

  private static final Map<String, Action> WORDS = Map.ofEntries(
      Map.entry("STOP", Action.OPT_OUT),
      Map.entry("STOPALL", Action.OPT_OUT),
      Map.entry("UNSUBSCRIBE", Action.OPT_OUT),
      Map.entry("CANCEL", Action.OPT_OUT),
      Map.entry("END", Action.OPT_OUT),
      Map.entry("QUIT", Action.OPT_OUT),
      Map.entry("START", Action.OPT_IN),
      Map.entry("YES", Action.OPT_IN),
      Map.entry("UNSTOP", Action.OPT_IN),
      Map.entry("HELP", Action.HELP),
      Map.entry("INFO", Action.HELP));

  /** The keyword the whole text is, if it is one. */
  static Optional<Keyword> of(String body) {
    String word = body.strip().toUpperCase(Locale.ROOT);
    return Optional.ofNullable(WORDS.get(word)).map(action -> new Keyword(word, action));
  }
}
