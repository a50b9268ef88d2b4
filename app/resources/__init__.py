"""Data files the program ships: divisions, policy book, fonts and translations.

A package (not a bare folder) so that ``importlib.resources.files("app.resources")`` finds it
the same way in a checkout, an installed wheel and a PyInstaller bundle. Read the files only
through :mod:`app.resource_files`.
"""
