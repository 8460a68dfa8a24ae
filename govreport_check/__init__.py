"""govreport-check: 政府信息公开工作年度报告一致性检查."""

__version__ = "0.1.0"
