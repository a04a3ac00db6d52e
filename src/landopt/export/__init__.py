"""Hand-off to spatial allocation models (PLUS/FLUS, CLUE-S/CLUMondo), CSV and GIS (GeoPackage/GeoJSON)."""
