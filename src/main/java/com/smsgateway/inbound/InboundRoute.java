package com.smsgateway.inbound;

/** Where an inbound text goes in: from the customer to one of our numbers. What a handler's route decision is about. */
public record InboundRoute(String ourNumber, String customerNumber) {}
