"""Spreadsheets and documents out of the database. Exporters only read: they
never import a service and never write a row."""
