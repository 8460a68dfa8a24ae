"""Rules as data: loading YAML rule files, the expression language, and running checks."""
