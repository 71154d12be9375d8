"""The headers of every response (installed by `web.security.init_security`): a strict
Content-Security-Policy (no inline script, no framing, no plugins) and, on the
third-party API documentation pages only, a policy naming their scripts by origin and
hash; ``nosniff``, ``same-origin`` referrers, ``DENY`` framing, a Permissions-Policy
that turns powerful features off, cross-origin isolation, HSTS over https, and
``Cache-Control: no-store`` on answers to authenticated requests."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from flask import Response, request

#: The policy of every page and answer. No inline script or style attribute can run:
#: scripts and styles come from this origin only, as files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

#: The third-party API documentation pages (flask-smorest's Swagger UI and ReDoc) load
#: their viewer from a CDN and start it with one inline script of their own template.
#: On those paths only, the policy admits the script origins the page names and the
#: exact inline scripts it holds (by SHA-256 hash) — never 'unsafe-inline' for scripts.
DEFAULT_DOCS_PATHS = ("/api/v1/docs", "/api/v1/redoc", "/api/v1/swagger-ui", "/api/v1/rapidoc")


_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(rb"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _origin(url: bytes) -> str | None:
    parts = urlsplit(url.decode("utf-8", "replace"))
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def docs_policy(body: bytes) -> str:
    """The policy of a third-party API documentation page: its script origins and the
    hashes of its own inline scripts, styles inline (the viewers set style attributes)."""
    sources: set[str] = set()
    hashes: list[str] = []
    for attributes, content in _SCRIPT.findall(body):
        source = _SRC.search(attributes)
        if source:
            origin = _origin(source.group(1))
            if origin:
                sources.add(origin)
        elif content.strip():
            digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    style_sources = {o for o in (_origin(m) for m in _SRC.findall(body)) if o}
    script_src = " ".join(["'self'", *sorted(sources), *hashes])
    style_src = " ".join(["'self'", *sorted(style_sources), "'unsafe-inline'"])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            f"style-src {style_src}",
            f"img-src 'self' data: {' '.join(sorted(style_sources))}".rstrip(),
            f"font-src 'self' {' '.join(sorted(style_sources))}".rstrip(),
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_headers(response: Response) -> Response:
    """Set the headers every response carries (existing ones are kept)."""
    from flask import current_app

    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    policy = CONTENT_SECURITY_POLICY
    docs_paths = current_app.config.get("SECURITY_DOCS_PATHS", ())
    if (
        response.mimetype == "text/html"
        and any(request.path.startswith(p) for p in docs_paths)
        and not response.direct_passthrough
    ):
        policy = docs_policy(response.get_data())
    response.headers["Content-Security-Policy"] = policy
    if request.is_secure and current_app.config.get("HSTS_MAX_AGE"):
        response.headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={int(current_app.config['HSTS_MAX_AGE'])}; includeSubDomains",
        )
    authenticated = "Authorization" in request.headers or (
        current_app.config.get("SESSION_COOKIE_NAME", "session") in request.cookies
    )
    if authenticated and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
        response.headers.add("Vary", "Authorization, Cookie")
    return response
