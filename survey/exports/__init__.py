"""Research exports (long, wide, codebook, data package) and the long-format import.

The formats are the contract of docs/exports.md.
"""
