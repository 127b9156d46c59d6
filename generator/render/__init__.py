"""Turn page models into HTML: jinja2 templates, markdown-it-py narrative, spec-driven tables."""
