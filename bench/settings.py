"""The portal's settings as benchmarks serve them: production settings, plain HTTP on
127.0.0.1, throttling out of reach, and a trivial view to measure the framework's floor."""

import os
import warnings

for name, value in {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "STATIC_MANIFEST": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "API_THROTTLE_ANON": "1000000/min",
    "API_THROTTLE_USER": "1000000/min",
}.items():
    os.environ.setdefault(name, value)

from alliance_portal.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"

# Benchmarks serve no static files; whitenoise need not warn that none were collected.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
