"""Local fakes of Azure services for tests (standard library servers)."""
