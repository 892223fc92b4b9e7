// DefaultSite: the site spec faigen renders when given none (`make render`).

/// How errors and generated headers name the embedded default spec.
public let defaultSiteSpecName = "(embedded default site)"

/// The embedded default site spec, in the same YAML a user writes in `faigen.yaml`.
public let defaultSiteSpec = """
    # The default site faigen renders when no spec is given.
    site: default
    version: "1"

    """
