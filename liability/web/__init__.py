"""`liability serve`: a local web page and a JSON API over the library.

The page is a form generated from the fact vocabulary (:mod:`.form`), rendered by Jinja2 templates
with autoescaping, and a little plain JavaScript shipped in the package (no build step, nothing
fetched from the network). The API (`/assess`, `/compare`, `/facts`) answers the documents the
command line prints as JSON. Scenarios only ever arrive as request bodies, bounded in size as
files are (:data:`liability.sources.MAX_BYTES`): no request names a path on the server.
"""

from .app import create_app

__all__ = ["create_app"]
