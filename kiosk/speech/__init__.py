"""The kiosk's voice: screens spoken aloud (rendering, serving the WAV), and speech in
(recognition models, what a spoken answer means on a screen, the listening endpoints)."""
