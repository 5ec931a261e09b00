"""The error hierarchy. The CLI turns each into one clear line and an exit code."""


class AuditError(Exception):
    """Base of every error govaudit raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 2


class SiteProfileError(AuditError):
    """A site profile YAML is missing, malformed or fails its schema."""


class StoreError(AuditError):
    """The --db file is not a govaudit store, is corrupt, or cannot be written."""


class StoreUnavailable(StoreError):
    """The database server went away and did not come back: stop, keep what was committed, resume later."""


class CrawlError(AuditError):
    """The crawl was unusable: the site is unreachable or nothing could be fetched."""

    exit_code = 3
