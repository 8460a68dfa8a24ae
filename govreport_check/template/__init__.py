"""Templates as data (rules/template.yaml) and matching a report's tables to them."""
