from achats_ouverts.cli import entry_point

entry_point()
