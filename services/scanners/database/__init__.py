"""The database scanner: a personal-data map of a live database (scanner.py has the details)."""

from services.scanners.database.scanner import DatabaseScanner

__all__ = ["DatabaseScanner"]
