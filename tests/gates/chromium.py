"""Flags for Debian's Chromium on a machine with no network but the package registries.

Without the background-networking flags Chromium keeps trying to reach Google's hosts.
"""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
