"""Render layer: formatters of the view: the Leaflet map (``leaflet``), the one-file offline map
(``html_file``), the static PNG/SVG/PDF (``static_export``), GIF/MP4 (``animation``), charts, downloads.
"""
