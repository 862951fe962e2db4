"""Exports of scan results: JSON, CSV of findings and SARIF 2.1.0. Pure functions, no I/O but files."""
