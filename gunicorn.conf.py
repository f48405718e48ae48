"""gunicorn settings: reachable from phones on the same Wi-Fi, PORT overrides 8000."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep a worker answering while one of its requests streams a large export; a
# sync worker would be killed by the timeout in the middle of a province-sized download.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 120
graceful_timeout = 20
accesslog = "-"
# Log the path only: query strings could carry search terms such as names.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Workers are replaced after about 500 requests (staggered by the jitter): CPython's
# heap only grows under four threads, and a fresh worker is cheap (about a second to start).
max_requests = 500
max_requests_jitter = 100


def post_fork(server, worker):
    """Two malloc arenas per worker instead of eight per core: threaded CPython fragments
    less, so the worker's memory stays near its size at start (glibc only; elsewhere a no-op)."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass
