"""Reusable pieces of the scan pages: findings table, charts, job progress and scan forms."""
