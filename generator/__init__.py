"""nianbao: a static archive of 政府信息公开工作年度报告.

The build reads top to bottom, each layer importing only from those before it: source (read files)
-> formats -> model (parse against a format spec; URLs, quality) -> checks (diagnostics) ->
summaries -> pages and render -> export and search -> write; bodywork, outputs and build run them
(README.md, Architecture; tests/layers.py).
"""
