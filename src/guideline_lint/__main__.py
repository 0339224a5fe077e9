from guideline_lint.entry import run

run()
