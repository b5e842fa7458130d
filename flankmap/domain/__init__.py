"""Domain layer: treaty status at a date (``treaty``) and as intervals (``intervals``), the treaty paths the
timeline page draws (``treaty_paths``), defence spending (``spending``) and border segments (``borders``).
"""
