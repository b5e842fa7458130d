"""``python deploy/streamlit_main.py run app.py ...``: Streamlit's own command line, never asking a third party
for this machine's address (review findings 2 and 20), and with a grace period for generated downloads
(:func:`download_grace`, issue 22's export load test).

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
import time

DOWNLOAD_GRACE_S = 30.0


def no_external_ip_lookup() -> None:
    """Make Streamlit's cached external address a loopback one, so it never fetches it."""
    from streamlit import net_util

    net_util._external_ip = "127.0.0.1"  # noqa: SLF001 - the module's own cache of the lookup


def download_grace(grace_s: float = DOWNLOAD_GRACE_S) -> None:
    """Keep a generated download servable for ``grace_s`` seconds after it is first found unreferenced.

    A deferred download (``st.download_button(data=callable)``) is stored when the browser asks for it and
    referenced by no session; Streamlit marks such a file at the next orphan clean-up and deletes it at the
    one after. Clean-ups run after every script run of *any* session, so on a busy replica (other readers
    stepping dates) the file could be gone before the browser's GET arrived: the export load test
    (bench/bench_exports.py) saw 1 of 50 downloads answer 404. With the grace period a file is deleted at
    the first clean-up after ``grace_s`` seconds of being unreferenced. Memory stays bounded: files are
    content-addressed (a repeated download is one file) and new ones come from renders that run one at a
    time (ui.cache.heavy_render), so at most ``grace_s`` seconds of renders are held in addition.
    """
    from streamlit.runtime.media_file_manager import MediaFileMetadata

    def mark_for_delete(self) -> None:
        if getattr(self, "_flankmap_marked_at", None) is None:
            self._flankmap_marked_at = time.monotonic()
        self._is_marked_for_delete = True

    def is_marked_for_delete(self) -> bool:
        marked = getattr(self, "_flankmap_marked_at", None)
        return marked is not None and time.monotonic() - marked >= grace_s

    MediaFileMetadata.mark_for_delete = mark_for_delete
    MediaFileMetadata.is_marked_for_delete = property(is_marked_for_delete)


if __name__ == "__main__":
    no_external_ip_lookup()
    download_grace()
    from streamlit.web.cli import main

    sys.exit(main(prog_name="streamlit"))
