"""The website scanner (services/scanners/website/scanner.py): cookies, trackers, consent, notices, leaks."""

from services.scanners.website.scanner import WebsiteScanner

__all__ = ["WebsiteScanner"]
