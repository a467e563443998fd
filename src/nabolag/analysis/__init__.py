"""Pure functions over numpy / pandas / geopandas: one named function per measure."""
