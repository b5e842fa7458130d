"""``python deploy/streamlit_main.py run app.py ...``: Streamlit's own command line, never asking a third party
for this machine's address (review findings 2 and 20).

Streamlit looks up its external address at checkip.amazonaws.com (a blocking HTTP GET, 1 s timeout, then the
same over HTTPS, not cached on failure) for the start-up banner of a headless server on a wildcard address,
and again for every websocket handshake whose ``Origin`` is not local. Behind a default-deny egress policy
that blocked the replica's event loop for ~2 s per foreign handshake, so health checks failed. The answer
is only ever compared with the ``Origin``'s host as one more *allowed* origin; a replica behind a proxy has
no use for it. Setting it to ``127.0.0.1`` (already allowed) ends the lookups without widening anything.
The proxy also refuses a foreign ``Origin`` before it reaches a replica (``deploy/haproxy-config.sh``).
"""

from __future__ import annotations

import sys


def no_external_ip_lookup() -> None:
    """Make Streamlit's cached external address a loopback one, so it never fetches it."""
    from streamlit import net_util

    net_util._external_ip = "127.0.0.1"  # noqa: SLF001 - the module's own cache of the lookup


if __name__ == "__main__":
    no_external_ip_lookup()
    from streamlit.web.cli import main

    sys.exit(main(prog_name="streamlit"))
