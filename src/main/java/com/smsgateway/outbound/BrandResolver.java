package com.smsgateway.outbound;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Which brand a sending number belongs to. The numbers and registration issues replace the configured answers
 * ({@link ConfiguredBrandResolver}) with registered brands and declared tiers behind this same interface.
 */
public interface BrandResolver {

  /**
   * The brand charged for a text from {@code senderNumber}; empty when such texts are not rate limited (a BYO
   * number whose owner declared no tier).
   *
   * @param workspaceId the workspace the text is sent for
   */
  Future<Optional<Brand>> brandOf(SenderKind kind, String senderNumber, String workspaceId);

  /** The brand with this id, for reading its usage; empty when there is none. */
  Future<Optional<Brand>> find(String brandId);
}
