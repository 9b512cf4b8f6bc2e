"""Research exports (long, wide, codebook, data package) and the long-format import (DESIGN §6)."""
