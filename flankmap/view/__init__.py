"""View layer: what a view shows, built once: URL state (``urlstate``), the symbology, the published timeline
(``publish``), the view of one day (``model``), fixed labels (``labels``) and the text alternative (``textalt``).
"""
