"""nabolag: plan, coordinate and measure social sustainability in neighbourhoods."""

__version__ = "0.1.0"
