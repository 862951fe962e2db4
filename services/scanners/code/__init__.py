"""The `code` scanner package: the scanner, file selection and git history mode."""

from services.scanners.code.scanner import CodeScanner

__all__ = ["CodeScanner"]
