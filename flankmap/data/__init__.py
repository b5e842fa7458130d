"""Data layer: the declared tables (``schemas``), loading and validation (``load``), the catalog, ISO dates."""
