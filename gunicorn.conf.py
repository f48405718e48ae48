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
max_requests = 5000
max_requests_jitter = 500
