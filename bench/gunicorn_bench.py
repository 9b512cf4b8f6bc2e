"""gunicorn.conf.py, unchanged but for logging: the benchmarks and load tests read request
times from an access log file, and gunicorn.conf.py's `logconfig_dict` would replace the file
handlers that --access-logfile and --error-logfile install (dictConfig drops a configured
logger's handlers), sending every line to stdout instead.
"""

from pathlib import Path

_production = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
exec(compile(_production.read_text(), str(_production), "exec"))  # noqa: S102 (our own file)

logconfig_dict: dict = {}  # empty: gunicorn keeps the handlers of its own settings
