"""The annual-report checker: reading a 政府信息公开工作年度报告, its tables, and one module per check family."""
