package com.smsgateway.sandbox;

/**
 * The carrier the sandbox's Lookup reports for a number, fixed by the number's last digit so tests and demos
 * can rely on it: 0–2 T-Mobile, 3–5 Verizon, 6–7 AT&T (all mobile), 8 a landline, 9 a non-fixed VoIP line.
 */
public enum FictionalCarrier {
  T_MOBILE("T-Mobile USA, Inc.", "mobile", "310", "260"),
  VERIZON("Verizon Wireless", "mobile", "311", "480"),
  AT_T("AT&T Wireless", "mobile", "310", "410"),
  LANDLINE("Pacific Bell", "landline", null, null),
  VOIP("Bandwidth.com", "nonFixedVoip", null, null);

  private final String carrierName;
  private final String lineType;
  private final String mobileCountryCode;
  private final String mobileNetworkCode;

  FictionalCarrier(String carrierName, String lineType, String mobileCountryCode, String mobileNetworkCode) {
    this.carrierName = carrierName;
    this.lineType = lineType;
    this.mobileCountryCode = mobileCountryCode;
    this.mobileNetworkCode = mobileNetworkCode;
  }

  public static FictionalCarrier of(String phoneNumber) {
    return switch (phoneNumber.charAt(phoneNumber.length() - 1)) {
      case '0', '1', '2' -> T_MOBILE;
      case '3', '4', '5' -> VERIZON;
      case '6', '7' -> AT_T;
      case '8' -> LANDLINE;
      default -> VOIP;
    };
  }

  public String carrierName() {
    return carrierName;
  }

  public String lineType() {
    return lineType;
  }

  String mobileCountryCode() {
    return mobileCountryCode;
  }

  String mobileNetworkCode() {
    return mobileNetworkCode;
  }
}
