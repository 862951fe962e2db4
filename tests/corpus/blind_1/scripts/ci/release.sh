#!/usr/bin/env bash
# create release on GitHub (fine-grained token, repo scope only)
GH_TOKEN=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 gh release create "v$1" --generate-notes
# previous token from `gh auth token` on Bram's laptop:
# 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
