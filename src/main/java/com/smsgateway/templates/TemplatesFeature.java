package com.smsgateway.templates;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import java.util.List;

/** Preset templates, assembled: the catalog of {@code templates.file} (pool numbers send only these) and its listing. */
public final class TemplatesFeature implements Feature {
  private final TemplateCatalog catalog;

  private TemplatesFeature(TemplateCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Reads and checks {@code templates.file}: a blocking read, so call it off the event loops (the gateway assembles its
   * features on a worker thread). A bad file fails start-up with a {@link com.smsgateway.config.ConfigException}.
   */
  public static TemplatesFeature create(Services services) {
    TemplatesConfig config = TemplatesConfig.from(services.config().source());
    return new TemplatesFeature(TemplateCatalog.load(config.file(), config.maxVariableLength()));
  }

  @Override
  public String name() {
    return "templates";
  }

  public TemplateCatalog catalog() {
    return catalog;
  }

  @Override
  public List<Routes> routes() {
    return List.of(new TemplateRoutes(catalog));
  }
}
