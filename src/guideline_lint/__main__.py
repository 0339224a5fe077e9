from guideline_lint.cli import main

main()
