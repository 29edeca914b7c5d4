"""Reads of documents are plain queries; the chain upwards is LegalDocument.ancestors()."""
