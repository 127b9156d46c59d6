"""nianbao: a static archive of 政府信息公开工作年度报告.

The build reads top to bottom: source (read files) -> model (parse against a format spec) ->
checks (diagnostics) -> gate -> pages -> render -> write.
"""
