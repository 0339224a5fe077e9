"""Regenerate the published JSON Schemas: python -m guideline_lint.schemas"""

from guideline_lint.schemas import write_all

write_all()
