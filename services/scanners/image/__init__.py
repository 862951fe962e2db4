"""The image scanner (services/scanners/image/scanner.py): metadata, text and faces in pictures."""

from services.scanners.image.scanner import ImageScanner

__all__ = ["ImageScanner"]
