"""Shared detection engine: PII, secret and special-category detectors, validators and masking."""
