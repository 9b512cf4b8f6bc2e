"""Research exports (long, wide, codebook, data package) and the long-format import (docs/exports.md)."""
