"""A figure as the plain JSON data a page embeds in a <script type="application/json"> block."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go


def figure_data(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON data (data and layout) for a <script type="application/json">."""
    drawn = fig.to_plotly_json()
    return {"data": plain(drawn["data"]), "layout": plain(drawn["layout"])}


def plain(value: Any) -> Any:
    """Lists, dicts, strings, finite numbers and None only (no numpy, no NaN)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value
