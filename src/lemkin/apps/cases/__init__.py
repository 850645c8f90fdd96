"""Case files: the case profile a crisis is planned from, its policy options, playbook package and guideline
review (the three assessments, plans and the approval chain build on these)."""
