"""Plain dataclasses and enums: no IO, no framework imports."""
